// CSRF protection for our forms: a per-browser random token in an HttpOnly SameSite=Strict cookie,
// echoed in a hidden field (double submit), plus an Origin check when the browser sends one.
import type { FastifyReply, FastifyRequest } from "fastify";
import { randomToken, safeEqual } from "../crypto/secrets.ts";

export const CSRF_COOKIE = "gh_csrf";

export function csrfToken(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomToken();
  reply.setCookie(CSRF_COOKIE, token, { path: "/", httpOnly: true, sameSite: "strict", secure });
  return token;
}

export function csrfValid(request: FastifyRequest, submitted: unknown, issuer: string): boolean {
  // An Origin, when sent, must be ours. "null" is not ours: browsers send it from sandboxed
  // iframes, data: and file: documents and after cross-origin redirects (RFC 6454 §7.3) — exactly
  // where a forged form comes from. Only a missing Origin (older browsers) is left to the
  // double-submit token alone.
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== new URL(issuer).origin) return false;
  const cookie = request.cookies[CSRF_COOKIE];
  return typeof submitted === "string" && typeof cookie === "string" && cookie.length > 0 && safeEqual(cookie, submitted);
}
