// Building response values: JSON, OAuth errors, redirects and pages. Every endpoint and the edge's
// own error mapping use these, so an error looks the same whichever endpoint raised it.
import { OAuthError } from "../oauth/errors.ts";
import { errorPage } from "../http/html.ts";
import { pageSecurityHeaders } from "../http/security-headers.ts";
import type { EdgeResponse } from "./types.ts";

const JSON_NO_STORE = { "cache-control": "no-store", pragma: "no-cache", "content-type": "application/json" } as const;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): EdgeResponse {
  return { status, headers: { ...JSON_NO_STORE, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) };
}

/** An OAuth error as JSON (RFC 6749 §5.2); Basic client-auth failures get a challenge (§5.2 invalid_client). */
export function oauthErrorResponse(err: OAuthError): EdgeResponse {
  const headers: Record<string, string> = { ...JSON_NO_STORE };
  if (err.status === 401 && err.cause === "basic") headers["www-authenticate"] = 'Basic realm="gatehouse"';
  return { status: err.status, headers, body: JSON.stringify(err.toJSON()) };
}

export function redirectResponse(location: string, headers: Record<string, string | string[]> = {}): EdgeResponse {
  return { status: 302, headers: { location, "cache-control": "no-store", ...headers }, body: "" };
}

/** An HTML page with the UI's security headers. */
export function pageResponse(status: number, html: string, options: { formTargets?: string[]; headers?: Record<string, string | string[]> } = {}): EdgeResponse {
  return { status, headers: { ...pageSecurityHeaders(options.formTargets ?? []), "content-type": "text/html; charset=utf-8", ...options.headers }, body: html };
}

export function errorPageResponse(status: number, title: string, message: string, headers: Record<string, string | string[]> = {}): EdgeResponse {
  return pageResponse(status, errorPage(title, message), { headers });
}

/** An OAuth error that cannot go back to the client (untrusted redirect URI): shown to the person. */
export function oauthErrorPage(err: OAuthError): EdgeResponse {
  return errorPageResponse(err.status, "This sign-in request cannot be completed", `${err.error}: ${err.description}`);
}
