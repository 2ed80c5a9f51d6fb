import { OAuthError } from "./errors.ts";

export const FULL_ACCESS_SCOPE = "https://authgear.com/scopes/full-access";
/** Authgear's device SSO: the grant keeps a device secret the app may exchange (pre-authenticated URLs). */
export const DEVICE_SSO_SCOPE = "device_sso";
export const PRE_AUTHENTICATED_URL_SCOPE = "https://authgear.com/scopes/pre-authenticated-url";
export const SUPPORTED_SCOPES = [
  "openid", "offline_access", "profile", "email", "phone", "address", FULL_ACCESS_SCOPE, DEVICE_SSO_SCOPE, PRE_AUTHENTICATED_URL_SCOPE,
] as const;

export function parseScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? "").split(" ").filter(Boolean))];
}

/**
 * The scopes a client may ask for beyond the standard ones, as Authgear's ValidateScopesByClientConfig
 * (pkg/lib/oauth/scope.go) decides: device_sso and pre-authenticated-url only for clients with
 * x_pre_authenticated_url_enabled, and pre-authenticated-url only together with device_sso.
 */
export function checkClientScopes(client: { x_pre_authenticated_url_enabled: boolean }, scopes: readonly string[]): void {
  const deviceSso = scopes.includes(DEVICE_SSO_SCOPE);
  if (deviceSso && !client.x_pre_authenticated_url_enabled) throw new OAuthError("invalid_scope", "device_sso is not allowed for this client");
  if (scopes.includes(PRE_AUTHENTICATED_URL_SCOPE)) {
    if (!deviceSso) throw new OAuthError("invalid_scope", "device_sso must be requested when using pre-authenticated url");
    if (!client.x_pre_authenticated_url_enabled) throw new OAuthError("invalid_scope", "pre-authenticated url is not allowed for this client");
  }
}
