// Device SSO and pre-authenticated URLs as the native SDKs drive them: sign-in with
// preAuthenticatedURLEnabled gets a device_secret and ds_hash; makePreAuthenticatedURL exchanges ID
// token + device secret for a pre-authenticated-URL token (authgear-core/src/container.ts L725-752)
// and opens authorize with it (L800-810); the web page then has the user's access token in the
// app_access_token cookie.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { decodeJwt } from "jose";
import type { TestServer } from "../support/server.ts";
import { EMAIL, NATIVE_CLIENT, PASSWORD, PLAIN_NATIVE_CLIENT, WEB_CLIENT, codeExchange, nativeSignIn, postToken, startNativeServer } from "./fixture.ts";

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

function exchangeForm(server: TestServer, idToken: string, deviceSecret: string): Record<string, string> {
  return {
    client_id: WEB_CLIENT.client_id, grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    requested_token_type: "urn:authgear:params:oauth:token-type:pre-authenticated-url-token", audience: server.url,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token", subject_token: idToken,
    actor_token_type: "urn:x-oath:params:oauth:token-type:device-secret", actor_token: deviceSecret,
  };
}

function authorizeUrl(server: TestServer, o: { token: string; idToken: string; redirect?: string; clientId?: string }): string {
  const url = new URL(`${server.url}/oauth2/authorize`);
  const params = {
    response_type: "urn:authgear:params:oauth:response-type:pre-authenticated-url token", response_mode: "cookie",
    redirect_uri: o.redirect ?? "https://web.example.com/dashboard", client_id: o.clientId ?? WEB_CLIENT.client_id,
    x_pre_authenticated_url_token: o.token, id_token_hint: o.idToken, prompt: "none", state: "s1",
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

describe("device SSO and pre-authenticated URLs", () => {
  let server: TestServer;
  let userId: string;
  before(async () => {
    server = await startNativeServer();
    userId = await server.createUser(EMAIL, PASSWORD);
  });
  after(async () => { await server.close(); });

  async function nativeTokens(): Promise<{ idToken: string; deviceSecret: string; refreshToken: string }> {
    const tokens = await codeExchange(server, await nativeSignIn(server));
    assert.equal(tokens.status, 200);
    const deviceSecret = String(tokens.body.device_secret);
    const idToken = String(tokens.body.id_token);
    assert.equal(decodeJwt(idToken).ds_hash, sha256(deviceSecret));
    return { idToken, deviceSecret, refreshToken: String(tokens.body.refresh_token) };
  }

  it("signs a web page in: token exchange, then authorize sets app_access_token and redirects", async () => {
    const native = await nativeTokens();
    const exchanged = await postToken(server, exchangeForm(server, native.idToken, native.deviceSecret));
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    assert.equal(exchanged.body.issued_token_type, "urn:authgear:params:oauth:token-type:pre-authenticated-url-token");
    assert.equal(exchanged.body.expires_in, 300);
    // The secret rotated; the new ID token names the new one.
    assert.notEqual(exchanged.body.device_secret, native.deviceSecret);
    assert.equal(decodeJwt(String(exchanged.body.id_token)).ds_hash, sha256(String(exchanged.body.device_secret)));

    const url = authorizeUrl(server, { token: String(exchanged.body.access_token), idToken: String(exchanged.body.id_token) });
    const res = await fetch(url, { redirect: "manual" });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location")!);
    assert.equal(location.origin + location.pathname, "https://web.example.com/dashboard");
    assert.equal(location.searchParams.get("state"), "s1");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("app_access_token="))!;
    assert.match(cookie, /HttpOnly/i);
    const accessToken = decodeURIComponent(cookie.split(";")[0].slice("app_access_token=".length));
    const claims = decodeJwt(accessToken);
    assert.equal(claims.sub, userId);
    assert.equal(claims.client_id, WEB_CLIENT.client_id);
    const info = await fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(info.status, 200);
    // A backend behind the resolver sees the user from the cookie, as Authgear's resolver reads it.
    const resolved = await fetch(`${server.url}/_resolver/resolve`, { headers: { cookie: `app_access_token=${encodeURIComponent(accessToken)}` } });
    assert.equal(resolved.headers.get("x-authgear-session-valid"), "true");
    assert.equal(resolved.headers.get("x-authgear-user-id"), userId);

    // The token is spent; the old device secret is dead.
    const again = await fetch(url, { redirect: "manual" });
    assert.equal(new URL(again.headers.get("location")!).searchParams.get("error"), "invalid_request");
    const stale = await postToken(server, exchangeForm(server, native.idToken, native.deviceSecret));
    assert.equal(stale.body.error, "invalid_grant");
  });

  it("refuses a wrong device secret, a forged ID token, a wrong audience and a grant without the scope", async () => {
    const native = await nativeTokens();
    assert.equal((await postToken(server, exchangeForm(server, native.idToken, "wrong-secret"))).body.error, "invalid_grant");
    const [h, pl] = native.idToken.split(".");
    assert.equal((await postToken(server, exchangeForm(server, `${h}.${pl}.AAAA`, native.deviceSecret))).body.error, "invalid_request");
    assert.equal((await postToken(server, { ...exchangeForm(server, native.idToken, native.deviceSecret), audience: "https://evil.example" })).body.error, "invalid_request");
    assert.equal((await postToken(server, { ...exchangeForm(server, native.idToken, native.deviceSecret), requested_token_type: "urn:ietf:params:oauth:token-type:access_token" })).body.error, "invalid_request");
    // Signed in without pre-authenticated-url: insufficient_scope (the SDK's PreAuthenticatedURLInsufficientScopeError).
    const plain = await codeExchange(server, await nativeSignIn(server, { scope: "openid offline_access device_sso https://authgear.com/scopes/full-access" }));
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    const res = await postToken(server, exchangeForm(server, String(plain.body.id_token), String(plain.body.device_secret)));
    assert.equal(res.body.error, "insufficient_scope");
  });

  it("refresh keeps ds_hash and rotates the device secret only when it is presented", async () => {
    const native = await nativeTokens();
    const kept = await postToken(server, { grant_type: "refresh_token", client_id: NATIVE_CLIENT.client_id, refresh_token: native.refreshToken });
    assert.equal(kept.body.device_secret, undefined);
    assert.equal(decodeJwt(String(kept.body.id_token)).ds_hash, sha256(native.deviceSecret));
    const rotated = await postToken(server, { grant_type: "refresh_token", client_id: NATIVE_CLIENT.client_id, refresh_token: native.refreshToken, device_secret: native.deviceSecret });
    assert.equal(typeof rotated.body.device_secret, "string");
    assert.equal(decodeJwt(String(rotated.body.id_token)).ds_hash, sha256(String(rotated.body.device_secret)));
  });

  it("authorize refuses an origin that is not allowed (a page, no redirect), another client's token, and a missing response_mode", async () => {
    const native = await nativeTokens();
    const exchanged = await postToken(server, exchangeForm(server, native.idToken, native.deviceSecret));
    const token = String(exchanged.body.access_token);
    const idToken = String(exchanged.body.id_token);
    const evil = await fetch(authorizeUrl(server, { token, idToken, redirect: "https://evil.example/steal" }), { redirect: "manual" });
    assert.equal(evil.status, 400);
    assert.equal(evil.headers.get("location"), null);
    const other = await fetch(authorizeUrl(server, { token, idToken, clientId: PLAIN_NATIVE_CLIENT.client_id, redirect: NATIVE_CLIENT.redirect_uris[0] }), { redirect: "manual" });
    assert.equal(new URL(other.headers.get("location")!).searchParams.get("error"), "invalid_request");
    const url = new URL(authorizeUrl(server, { token, idToken }));
    url.searchParams.delete("response_mode");
    const noMode = await fetch(url, { redirect: "manual" });
    assert.equal(new URL(noMode.headers.get("location")!).searchParams.get("error"), "invalid_request");
  });
});
