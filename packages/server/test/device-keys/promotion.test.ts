// Promotion of anonymous users to full accounts that keep their `sub`: native (login_hint with a JWT
// signed by the anonymous key, action "promote": authgear-react-native/src/index.ts L864-912) and web
// (/api/anonymous_user/promotion_code then login_hint with the code: authgear-web/src/container.ts
// startPromoteAnonymousUser), and the web sign-up API in both session types.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as oidc from "openid-client";
import { decodeJwt } from "jose";
import type { TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";
import { Device, challenge } from "./device.ts";
import { NATIVE_CLIENT, PASSWORD, postToken, startNativeServer } from "./fixture.ts";

async function api(server: TestServer, path: string, body: unknown, agent?: UserAgent): Promise<{ status: number; body: Record<string, any>; setCookie: string[] }> {
  const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = agent ? await agent.request(`${server.url}${path}`, init) : await fetch(`${server.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, any>, setCookie: res.headers.getSetCookie() };
}

/** Runs the promotion authorize request through the sign-up page (skipping email verification); returns the code exchange. */
async function promoteThroughSignup(server: TestServer, loginHint: string, email: string, agent = new UserAgent()) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = new URL(`${server.url}/oauth2/authorize`);
  const params = {
    response_type: "code", client_id: NATIVE_CLIENT.client_id, redirect_uri: NATIVE_CLIENT.redirect_uris[0],
    scope: "openid https://authgear.com/scopes/full-access offline_access", code_challenge_method: "S256",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), prompt: "login", login_hint: loginHint, x_platform: "react-native",
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const first = await agent.follow(url.toString(), server.url);
  assert.match(first.url, /\/signup/, "promotion shows the sign-up page");
  let done = await agent.submitForm(first.url, await first.response.text(), { email, password: PASSWORD }, server.url);
  if (new URL(done.url).pathname === "/verify") {
    const html = await done.response.text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    done = await agent.follow(`${server.url}/verify/skip`, server.url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url }, body: new URLSearchParams({ csrf }) });
  }
  const callback = new URL(done.url);
  assert.equal(callback.searchParams.get("error"), null, done.url);
  return postToken(server, { grant_type: "authorization_code", client_id: NATIVE_CLIENT.client_id, code: callback.searchParams.get("code")!, redirect_uri: NATIVE_CLIENT.redirect_uris[0], code_verifier: verifier });
}

describe("anonymous user promotion", () => {
  let server: TestServer;
  before(async () => { server = await startNativeServer(); });
  after(async () => { await server.close(); });

  it("native: promotes with a JWT login_hint and keeps the sub", async () => {
    const device = new Device();
    const signup = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:anonymous-request", client_id: NATIVE_CLIENT.client_id, jwt: device.anonymousJwt(await challenge(server.url, "anonymous_request"), "auth") });
    const sub = decodeJwt(String(signup.body.access_token)).sub!;
    device.anonymousKeyKnown = true;
    const jwt = device.anonymousJwt(await challenge(server.url, "anonymous_request"), "promote");
    const tokens = await promoteThroughSignup(server, `https://authgear.com/login_hint?type=anonymous&jwt=${encodeURIComponent(jwt)}`, "promoted-native@example.com");
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const claims = decodeJwt(String(tokens.body.access_token));
    assert.equal(claims.sub, sub);
    assert.equal(claims["https://authgear.com/claims/user/is_anonymous"], false);
    // The anonymous key is gone with the anonymity: it signs in as nobody now.
    const again = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:anonymous-request", client_id: NATIVE_CLIENT.client_id, jwt: device.anonymousJwt(await challenge(server.url, "anonymous_request"), "auth") });
    assert.equal(again.body.error, "invalid_grant");
  });

  it("web: refresh-token sign-up, promotion code, promotion keeping the sub; the code works once", async () => {
    const signup = await api(server, "/api/anonymous_user/signup", { client_id: NATIVE_CLIENT.client_id, session_type: "refresh_token" });
    assert.equal(signup.status, 200, JSON.stringify(signup.body));
    const { access_token, refresh_token } = signup.body.result;
    const sub = decodeJwt(access_token).sub!;
    // Signing up again with the refresh token continues the same user.
    const again = await api(server, "/api/anonymous_user/signup", { client_id: NATIVE_CLIENT.client_id, session_type: "refresh_token", refresh_token });
    assert.equal(decodeJwt(again.body.result.access_token).sub, sub);
    const code = await api(server, "/api/anonymous_user/promotion_code", { session_type: "refresh_token", refresh_token });
    assert.equal(code.status, 200, JSON.stringify(code.body));
    assert.equal(typeof code.body.result.promotion_code, "string");
    const hint = `https://authgear.com/login_hint?type=anonymous&promotion_code=${encodeURIComponent(code.body.result.promotion_code)}`;
    const tokens = await promoteThroughSignup(server, hint, "promoted-web@example.com");
    assert.equal(decodeJwt(String(tokens.body.access_token)).sub, sub);
    // The code was spent: a second authorize with it is refused back to the app.
    const url = new URL(`${server.url}/oauth2/authorize`);
    for (const [k, v] of Object.entries({ response_type: "code", client_id: NATIVE_CLIENT.client_id, redirect_uri: NATIVE_CLIENT.redirect_uris[0], scope: "openid", code_challenge_method: "S256", code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), prompt: "login", login_hint: hint })) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: "manual" });
    assert.equal(new URL(res.headers.get("location")!, server.url).searchParams.get("error"), "invalid_request");
    // A promoted user gets no more codes and no anonymous sign-up.
    assert.equal((await api(server, "/api/anonymous_user/promotion_code", { session_type: "refresh_token", refresh_token })).body.error.message, "user logged in as normal user");
  });

  it("web: cookie sign-up sets the session cookie, is idempotent, and gives a promotion code", async () => {
    const agent = new UserAgent();
    const first = await api(server, "/api/anonymous_user/signup", { session_type: "cookie" }, agent);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { result: {} });
    assert.ok(agent.cookies.has("session"));
    const cookie = agent.cookies.get("session");
    const second = await api(server, "/api/anonymous_user/signup", { session_type: "cookie" }, agent);
    assert.deepEqual(second.body, { result: {} });
    assert.equal(agent.cookies.get("session"), cookie);
    const code = await api(server, "/api/anonymous_user/promotion_code", { session_type: "cookie" }, agent);
    assert.equal(code.status, 200);
    assert.match(code.body.result.promotion_code, /^[A-Z2-7]{32}$/);
  });

  it("refuses bad input with Authgear's envelope", async () => {
    const cases: [string, unknown, number, string][] = [
      ["/api/anonymous_user/signup", { session_type: "nope" }, 400, "ValidationFailed"],
      ["/api/anonymous_user/signup", { session_type: "refresh_token" }, 400, "ValidationFailed"],
      ["/api/anonymous_user/signup", { session_type: "refresh_token", client_id: "nobody" }, 400, "Invalid"],
      ["/api/anonymous_user/signup", { session_type: "refresh_token", client_id: NATIVE_CLIENT.client_id, refresh_token: "junk" }, 400, "Invalid"],
      ["/api/anonymous_user/signup", { session_type: "cookie", extra: 1 }, 400, "ValidationFailed"],
      ["/api/anonymous_user/promotion_code", { session_type: "cookie" }, 401, "Unauthorized"],
      ["/api/anonymous_user/promotion_code", { session_type: "refresh_token" }, 401, "Unauthorized"],
      ["/api/anonymous_user/promotion_code", { session_type: "refresh_token", refresh_token: "junk" }, 403, "Forbidden"],
    ];
    for (const [path, body, status, reason] of cases) {
      const res = await api(server, path, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.reason, reason, JSON.stringify(body));
    }
  });
});

describe("anonymous sign-up API when anonymous users are off", () => {
  let server: TestServer;
  before(async () => { server = await startNativeServer({ identities: ["login_id"] }); });
  after(async () => { await server.close(); });

  it("refuses: anonymous user disallowed", async () => {
    const res = await api(server, "/api/anonymous_user/signup", { session_type: "cookie" });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.message, "anonymous user disallowed");
  });
});
