// How OAuth errors and UI errors leave the server: JSON with no-store, WWW-Authenticate for
// bearer failures, or a readable page when the redirect URI cannot be trusted.
import type { FastifyReply } from "fastify";
import { OAuthError } from "../oauth/errors.ts";
import { errorPage } from "./html.ts";
import { setPageSecurityHeaders } from "./security-headers.ts";

export function sendOAuthJson(reply: FastifyReply, err: OAuthError): FastifyReply {
  reply.header("cache-control", "no-store").header("pragma", "no-cache");
  if (err.status === 401 && err.cause === "basic") reply.header("www-authenticate", 'Basic realm="gatehouse"');
  return reply.code(err.status).type("application/json").send(JSON.stringify(err.toJSON()));
}

export function sendErrorPage(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  setPageSecurityHeaders(reply, []);
  return reply.code(status).type("text/html; charset=utf-8").send(errorPage(title, message));
}

export function sendOAuthErrorPage(reply: FastifyReply, err: OAuthError): FastifyReply {
  return sendErrorPage(reply, err.status, "This sign-in request cannot be completed", `${err.error}: ${err.description}`);
}
