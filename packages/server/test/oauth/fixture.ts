// Shared setup for protocol tests: a real server, openid-client configured against it, a user.
import * as oidc from "openid-client";
import { startTestServer, SPA_CLIENT, CONFIDENTIAL_CLIENT, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";

export const EMAIL = "alice@example.com";
export const PASSWORD = "correct horse battery staple";

export interface Fixture {
  server: TestServer;
  spa: oidc.Configuration;
  backend: oidc.Configuration;
  userId: string;
}

export async function setup(options: Parameters<typeof startTestServer>[0] = {}): Promise<Fixture> {
  const server = await startTestServer(options);
  const userId = await server.createUser(EMAIL, PASSWORD);
  const spa = await oidc.discovery(new URL(server.url), SPA_CLIENT.client_id, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  const backend = await oidc.discovery(new URL(server.url), CONFIDENTIAL_CLIENT.client_id, undefined, oidc.ClientSecretBasic(CONFIDENTIAL_CLIENT.client_secret), { execute: [oidc.allowInsecureRequests] });
  return { server, spa, backend, userId };
}

export interface PkceLogin {
  callback: URL;
  verifier: string;
  nonce: string;
  state: string;
  agent: UserAgent;
}

/** Builds an authorization URL with PKCE + nonce + state and signs in through the login page. */
export async function loginWithPkce(f: Fixture, options: { scope?: string; agent?: UserAgent; extra?: Record<string, string>; config?: oidc.Configuration; redirectUri?: string } = {}): Promise<PkceLogin> {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const agent = options.agent ?? new UserAgent();
  const url = oidc.buildAuthorizationUrl(options.config ?? f.spa, {
    redirect_uri: options.redirectUri ?? SPA_CLIENT.redirect_uris[0],
    scope: options.scope ?? "openid offline_access email",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    nonce,
    state,
    ...options.extra,
  });
  const callback = new URL(await agent.signIn(url.toString(), f.server.url, EMAIL, PASSWORD));
  return { callback, verifier, nonce, state, agent };
}

export async function exchange(f: Fixture, login: PkceLogin): Promise<Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>> {
  return oidc.authorizationCodeGrant(f.spa, login.callback, { pkceCodeVerifier: login.verifier, expectedNonce: login.nonce, expectedState: login.state, idTokenExpected: true });
}

/** A raw form POST to the token endpoint, for negative cases openid-client would refuse to send. */
export async function postToken(f: Fixture, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${f.server.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** Signs `clientId` in and exchanges the code with a raw POST (the server clock may be ahead). */
export async function tokensFor(f: Fixture, clientId: string): Promise<{ access_token: string; refresh_token: string }> {
  const config = await oidc.discovery(new URL(f.server.url), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  const login = await loginWithPkce(f, { config });
  const res = await postToken(f, {
    grant_type: "authorization_code", client_id: clientId, code: login.callback.searchParams.get("code")!,
    redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: login.verifier,
  });
  if (res.status !== 200) throw new Error(`code exchange for ${clientId} failed: ${JSON.stringify(res.body)}`);
  return res.body as { access_token: string; refresh_token: string };
}

export { oidc, SPA_CLIENT, CONFIDENTIAL_CLIENT };
