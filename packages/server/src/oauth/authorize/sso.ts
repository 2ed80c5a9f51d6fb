// Authgear's SDKs send x_sso_enabled=false (and, for older servers, x_suppress_idp_session_cookie=true)
// unless the app opts into SSO. Then the login must neither use nor leave a shared `session` cookie:
// the IdP session lives only server-side, behind the tokens it issues.
import type { Params } from "../params.ts";

export function suppressesIdpSessionCookie(p: Params): boolean {
  return p.x_suppress_idp_session_cookie === "true" || p.x_sso_enabled === "false";
}

/**
 * Name of the short-lived, host-only cookie that carries a cookie-suppressed login from the login
 * page to /oauth2/authorize/resume, binding the resumed request to the browser that logged in.
 */
export const LOGIN_HANDOFF_COOKIE = "gh_login";
export const LOGIN_HANDOFF_PATH = "/oauth2/authorize/resume";
