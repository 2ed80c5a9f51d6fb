// How errors leave the Fastify side (pages, admin API): the same values the edge builds
// (edge/responses.ts), written on a Fastify reply.
import type { FastifyReply } from "fastify";
import type { OAuthError } from "../oauth/errors.ts";
import { errorPageResponse, oauthErrorResponse } from "../edge/responses.ts";
import type { EdgeResponse } from "../edge/types.ts";

export function sendResponse(reply: FastifyReply, r: EdgeResponse): FastifyReply {
  return reply.code(r.status).headers(r.headers).send(r.body);
}

export function sendOAuthJson(reply: FastifyReply, err: OAuthError): FastifyReply {
  return sendResponse(reply, oauthErrorResponse(err));
}

export function sendErrorPage(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  return sendResponse(reply, errorPageResponse(status, title, message));
}
