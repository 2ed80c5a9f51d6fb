import type { FastifyReply } from "fastify";

/**
 * Headers for every HTML page. form-action must list where our forms may end up: Chromium applies it
 * to the redirects that follow a form POST, and a login ends with a redirect to the app.
 */
export function pageSecurityHeaders(formTargets: string[]): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(" ");
  return {
    "content-security-policy": `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  };
}

export function setPageSecurityHeaders(reply: FastifyReply, formTargets: string[]): void {
  reply.headers(pageSecurityHeaders(formTargets));
}

/** RFC 6797: on an https origin every response tells browsers to stay on https (a year, subdomains too). */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";
