import type { FastifyReply } from "fastify";

/**
 * CSP for UI pages. form-action must list where our forms may end up: Chromium applies it to the
 * redirects that follow a form POST, and a login ends with a redirect to the app.
 */
export function setPageSecurityHeaders(reply: FastifyReply, formTargets: string[]): void {
  const formAction = ["'self'", ...formTargets].join(" ");
  reply
    .header("content-security-policy", `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`)
    .header("x-frame-options", "DENY")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "no-store");
}
