// A server with a native client that has pre-authenticated URLs on, and anonymous and biometric
// identities switched on, plus the request builders the native SDKs use (each cites its source).
import { startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";
import * as oidc from "openid-client";

export const NATIVE_CLIENT = {
  client_id: "test-native",
  name: "Test native app",
  x_application_type: "native",
  redirect_uris: ["com.example.app://host/after-authentication"],
  refresh_token_rotation_enabled: false,
  x_pre_authenticated_url_enabled: true,
  x_pre_authenticated_url_allowed_origins: ["https://web.example.com"],
};
export const PLAIN_NATIVE_CLIENT = { ...NATIVE_CLIENT, client_id: "test-native-plain", x_pre_authenticated_url_enabled: false, x_pre_authenticated_url_allowed_origins: [] };
/** The web app a pre-authenticated URL opens (client_id = webApplicationClientID in makePreAuthenticatedURL). */
export const WEB_CLIENT = {
  client_id: "test-web", name: "Test web app", x_application_type: "traditional_webapp", redirect_uris: ["https://web.example.com/after-login"],
  x_pre_authenticated_url_enabled: true, x_pre_authenticated_url_allowed_origins: ["https://web.example.com"],
};
export const EMAIL = "nina@example.com";
export const PASSWORD = "correct horse battery staple";

/**
 * The scopes a native SDK asks for with preAuthenticatedURLEnabled: authgear-sdk-js
 * packages/authgear-core/src/container.ts L177-185 (getAuthenticateScopes), the same in
 * authgear-sdk-ios Sources/Container.swift and authgear-sdk-android …/oauth/OidcAuthenticationRequest.kt.
 */
export const NATIVE_SCOPES_WITH_DEVICE_SSO = "openid https://authgear.com/scopes/full-access offline_access device_sso https://authgear.com/scopes/pre-authenticated-url";

export async function startNativeServer(options: { identities?: string[]; config?: Record<string, unknown>; databaseUrl?: string } = {}): Promise<TestServer> {
  return startTestServer({
    clients: [NATIVE_CLIENT, PLAIN_NATIVE_CLIENT, WEB_CLIENT],
    databaseUrl: options.databaseUrl,
    config: {
      authentication: {
        password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 },
        identities: options.identities ?? ["login_id", "oauth", "anonymous", "biometric"],
      },
      ...options.config,
    },
  });
}

/** Signs in through the login page as the native SDK's authorize URL asks (code + PKCE S256). */
export async function nativeSignIn(server: TestServer, options: { scope?: string; clientId?: string; extra?: Record<string, string>; agent?: UserAgent; email?: string } = {}): Promise<{ callback: URL; verifier: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = new URL(`${server.url}/oauth2/authorize`);
  const params: Record<string, string> = {
    response_type: "code", client_id: options.clientId ?? NATIVE_CLIENT.client_id, redirect_uri: NATIVE_CLIENT.redirect_uris[0],
    scope: options.scope ?? NATIVE_SCOPES_WITH_DEVICE_SSO, code_challenge_method: "S256",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), x_platform: "react-native", ...options.extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const agent = options.agent ?? new UserAgent();
  const callback = new URL(await agent.signIn(url.toString(), server.url, options.email ?? EMAIL, PASSWORD));
  return { callback, verifier };
}

/** A form POST to /oauth2/token as authgear-sdk-js packages/authgear-core/src/client.ts _oidcTokenRequest (L273-323) sends it. */
export async function postToken(server: TestServer, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/oauth2/token`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(form),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function codeExchange(server: TestServer, login: { callback: URL; verifier: string }, clientId = NATIVE_CLIENT.client_id): Promise<{ status: number; body: Record<string, unknown> }> {
  return postToken(server, {
    grant_type: "authorization_code", client_id: clientId, code: login.callback.searchParams.get("code") ?? "",
    redirect_uri: NATIVE_CLIENT.redirect_uris[0], code_verifier: login.verifier,
  });
}
