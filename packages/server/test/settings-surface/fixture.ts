// Helpers for the settings-surface tests: an app session token from a refresh token, and
// authorization URLs that carry it as Authgear's login_hint.
import * as oidc from "openid-client";
import { SPA_CLIENT } from "../support/server.ts";
import type { Fixture } from "../oauth/fixture.ts";
import { UserAgent } from "../support/user-agent.ts";

export const SETTINGS_ACTION = "urn:authgear:params:oauth:response-type:settings-action";

export async function postJson(url: string, body: string, contentType = "application/json"): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": contentType }, body });
  return { status: res.status, body: await res.json() };
}

export async function appSessionToken(f: Fixture, refreshToken: string): Promise<string> {
  const r = await postJson(`${f.server.url}/oauth2/app_session_token`, JSON.stringify({ refresh_token: refreshToken }));
  if (r.status !== 200) throw new Error(`app_session_token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.result.app_session_token;
}

export const hint = (token: string): string => `https://authgear.com/login_hint?type=app_session_token&app_session_token=${encodeURIComponent(token)}`;

/** open(Page.Settings) as @authgear/web builds it (container.ts openURL). */
export function openSettingsUrl(f: Fixture, token: string, redirectUri = `${f.server.url}/settings?`): string {
  const q = new URLSearchParams({ client_id: SPA_CLIENT.client_id, redirect_uri: redirectUri, response_type: "none", prompt: "none", scope: "openid https://authgear.com/scopes/full-access", login_hint: hint(token), x_sso_enabled: "false" });
  return `${f.server.url}/oauth2/authorize?${q}`;
}

/** A settings action's authorization URL with PKCE, as startSettingsAction builds it. */
export async function settingsActionUrl(f: Fixture, token: string, action: string, extra: Record<string, string> = {}): Promise<{ url: string; verifier: string; state: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const q = new URLSearchParams({
    client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: SETTINGS_ACTION, scope: "openid https://authgear.com/scopes/full-access",
    login_hint: hint(token), code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256", state,
    x_settings_action: action, x_settings_action_query: "{}", ...extra,
  });
  return { url: `${f.server.url}/oauth2/authorize?${q}`, verifier, state };
}

/** Signs in on the login page with no app waiting: the agent ends up with a `session` cookie. */
export async function browserSignIn(f: Fixture, agent: UserAgent, email: string, password: string): Promise<void> {
  const page = await agent.follow(`${f.server.url}/login`, f.server.url);
  await agent.submitForm(page.url, await page.response.text(), { email, password }, f.server.url);
  if (!agent.cookies.has("session")) throw new Error(`sign-in as ${email} failed`);
}

/** The SPA client's code flow with PKCE for any user; returns the token response. */
export async function signInAs(f: Fixture, email: string, password: string, scope: string): Promise<oidc.TokenEndpointResponse> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(f.spa, { redirect_uri: SPA_CLIENT.redirect_uris[0], scope, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256", state });
  const callback = new URL(await new UserAgent().signIn(url.toString(), f.server.url, email, password));
  return oidc.authorizationCodeGrant(f.spa, callback, { pkceCodeVerifier: verifier, expectedState: state });
}
