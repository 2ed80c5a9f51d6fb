// Building the redirect back to the client (RFC 6749 §4.1.2), with `iss` (RFC 9207) so clients
// can tell which server answered (mix-up defence).
import type { OAuthError } from "../errors.ts";

export function redirectWith(redirectUri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function errorRedirect(redirectUri: string, error: OAuthError, state: string | null, issuer: string): string {
  return redirectWith(redirectUri, { error: error.error, error_description: error.description, state, iss: issuer });
}
