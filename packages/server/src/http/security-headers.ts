import type { FastifyReply } from "fastify";

/**
 * Headers for every HTML page. form-action must list where our forms may end up: Chromium applies it
 * to the redirects that follow a form POST, and a login ends with a redirect to the app. Scripts come
 * only from our own origin (account/ui/reveal.ts: the show-password and copy buttons), never inline.
 */
export function pageSecurityHeaders(formTargets: string[]): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(" ");
  return {
    "content-security-policy": `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` with our own form
    // POSTs, which the CSRF check must refuse (a sandboxed frame sends null too). Nothing leaves
    // for other origins either way.
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
  };
}

export function setPageSecurityHeaders(reply: FastifyReply, formTargets: string[]): void {
  reply.headers(pageSecurityHeaders(formTargets));
}

/** RFC 6797: on an https origin every response tells browsers to stay on https (a year, subdomains too). */
export const HSTS_VALUE = "max-age=31536000; includeSubDomains";
