// A native app with preAuthenticatedURLEnabled asks for device_sso and the pre-authenticated-url
// scope on every sign-in: it must be able to sign in, and other clients may not ask for them
// (Authgear's ValidateScopesByClientConfig, pkg/lib/oauth/scope.go).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as oidc from "openid-client";
import type { TestServer } from "../support/server.ts";
import { EMAIL, PASSWORD, NATIVE_CLIENT, NATIVE_SCOPES_WITH_DEVICE_SSO, PLAIN_NATIVE_CLIENT, codeExchange, nativeSignIn, startNativeServer } from "./fixture.ts";

describe("device_sso and pre-authenticated-url scopes", () => {
  let server: TestServer;
  before(async () => {
    server = await startNativeServer();
    await server.createUser(EMAIL, PASSWORD);
  });
  after(async () => { await server.close(); });

  it("lets a native app with preAuthenticatedURLEnabled sign in and get tokens", async () => {
    const login = await nativeSignIn(server);
    assert.equal(login.callback.searchParams.get("error"), null, login.callback.toString());
    const tokens = await codeExchange(server, login);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(typeof tokens.body.access_token, "string");
    assert.equal(typeof tokens.body.refresh_token, "string");
    assert.deepEqual(String(tokens.body.scope).split(" ").sort(), NATIVE_SCOPES_WITH_DEVICE_SSO.split(" ").sort());
  });

  async function authorizeError(clientId: string, scope: string): Promise<string | null> {
    const url = new URL(`${server.url}/oauth2/authorize`);
    const params = {
      response_type: "code", client_id: clientId, redirect_uri: NATIVE_CLIENT.redirect_uris[0], scope,
      code_challenge_method: "S256", code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: "manual" });
    const location = res.headers.get("location");
    return location ? new URL(location, server.url).searchParams.get("error") : null;
  }

  it("refuses device_sso to a client without x_pre_authenticated_url_enabled", async () => {
    assert.equal(await authorizeError(PLAIN_NATIVE_CLIENT.client_id, NATIVE_SCOPES_WITH_DEVICE_SSO), "invalid_scope");
    assert.equal(await authorizeError(PLAIN_NATIVE_CLIENT.client_id, "openid device_sso"), "invalid_scope");
  });

  it("refuses pre-authenticated-url without device_sso", async () => {
    assert.equal(await authorizeError(NATIVE_CLIENT.client_id, "openid https://authgear.com/scopes/pre-authenticated-url"), "invalid_scope");
    assert.equal(await authorizeError(NATIVE_CLIENT.client_id, "openid offline_access device_sso"), null);
  });
});
