// How OAuth errors and UI errors leave the server: JSON with no-store, WWW-Authenticate for
// bearer failures, or a readable page when the redirect URI cannot be trusted.
import type { FastifyReply } from "fastify";
import { OAuthError } from "../oauth/errors.ts";
import { errorPage } from "./html.ts";
import { setPageSecurityHeaders } from "./security-headers.ts";
import { sendPlain, type PlainResponse } from "./plain-response.ts";

/** An OAuth error as a JSON response (RFC 6749 §5.2); Basic client-auth failures get a challenge. */
export function oauthErrorResponse(err: OAuthError): PlainResponse {
  const headers: Record<string, string> = { "cache-control": "no-store", pragma: "no-cache", "content-type": "application/json" };
  if (err.status === 401 && err.cause === "basic") headers["www-authenticate"] = 'Basic realm="gatehouse"';
  return { status: err.status, headers, body: JSON.stringify(err.toJSON()) };
}

export function sendOAuthJson(reply: FastifyReply, err: OAuthError): FastifyReply {
  return sendPlain(reply, oauthErrorResponse(err));
}

export function sendErrorPage(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  setPageSecurityHeaders(reply, []);
  return reply.code(status).type("text/html; charset=utf-8").send(errorPage(title, message));
}

export function sendOAuthErrorPage(reply: FastifyReply, err: OAuthError): FastifyReply {
  return sendErrorPage(reply, err.status, "This sign-in request cannot be completed", `${err.error}: ${err.description}`);
}
