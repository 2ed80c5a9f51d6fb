// What must fail, and how: RFC 6749, RFC 7636 and RFC 9700 negatives against the real server.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, postToken, oidc, SPA_CLIENT, CONFIDENTIAL_CLIENT, type Fixture } from "./fixture.ts";
import { UserAgent } from "../support/user-agent.ts";

async function authorizeUrl(f: Fixture, params: Record<string, string>): Promise<string> {
  const url = new URL(`${f.server.url}/oauth2/authorize`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

describe("authorization endpoint negatives", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });

  const base = async (): Promise<Record<string, string>> => ({
    client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid", state: "xyz",
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: "S256",
  });

  it("shows an error page, never a redirect, for an unregistered redirect_uri", async () => {
    for (const redirect_uri of ["http://127.0.0.1:9/callback/", "http://127.0.0.1:9/callback?x=1", "http://evil.example/callback", "http://127.0.0.1:9/CALLBACK"]) {
      const res = await fetch(await authorizeUrl(f, { ...(await base()), redirect_uri }), { redirect: "manual" });
      assert.equal(res.status, 400, redirect_uri);
      assert.equal(res.headers.get("location"), null);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
      assert.match(await res.text(), /redirect_uri is not registered/);
    }
  });

  it("shows an error page for an unknown client_id", async () => {
    const res = await fetch(await authorizeUrl(f, { ...(await base()), client_id: "nobody" }), { redirect: "manual" });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("location"), null);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
  });

  it("redirects invalid_request when a public client omits PKCE or uses plain", async () => {
    const p = await base();
    delete p.code_challenge;
    delete p.code_challenge_method;
    for (const params of [p, { ...(await base()), code_challenge_method: "plain" }]) {
      const res = await fetch(await authorizeUrl(f, params), { redirect: "manual" });
      assert.equal(res.status, 302);
      const loc = new URL(res.headers.get("location")!);
      assert.equal(loc.origin + loc.pathname, SPA_CLIENT.redirect_uris[0]);
      assert.equal(loc.searchParams.get("error"), "invalid_request");
      assert.equal(loc.searchParams.get("state"), "xyz");
    }
  });

  it("redirects the right error for a bad scope, response_type, prompt or max_age", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ scope: "email" }, "invalid_scope"],
      [{ scope: "openid bogus" }, "invalid_scope"],
      [{ response_type: "token" }, "unsupported_response_type"],
      [{ prompt: "none login" }, "invalid_request"],
      [{ max_age: "-1" }, "invalid_request"],
    ];
    for (const [override, error] of cases) {
      const res = await fetch(await authorizeUrl(f, { ...(await base()), ...override }), { redirect: "manual" });
      assert.equal(new URL(res.headers.get("location")!).searchParams.get("error"), error, JSON.stringify(override));
    }
  });

  it("answers prompt=none without a session with login_required", async () => {
    const res = await fetch(await authorizeUrl(f, { ...(await base()), prompt: "none" }), { redirect: "manual" });
    assert.equal(new URL(res.headers.get("location")!).searchParams.get("error"), "login_required");
  });

  it("forces the login page again with prompt=login and max_age=0", async () => {
    const login = await loginWithPkce(f);
    for (const extra of [{ prompt: "login" }, { max_age: "0" }] as Record<string, string>[]) {
      const res = await login.agent.follow(await authorizeUrl(f, { ...(await base()), ...extra }), f.server.url);
      assert.match(res.url, /\/login\?flow=/, JSON.stringify(extra));
    }
  });

  it("accepts Authgear's x_* parameters, unknown parameters and a login_hint URL", async () => {
    const hint = "https://authgear.com/login_hint?type=login_id&email=hinted%40example.com";
    const res = await new UserAgent().follow(await authorizeUrl(f, { ...(await base()), x_sso_enabled: "false", x_page: "login", foo: "bar", login_hint: hint, ui_locales: "en" }), f.server.url);
    assert.match(res.url, /\/login\?flow=/);
    assert.match(await res.response.text(), /value="hinted@example.com"/);
  });

  it("rejects a parameter sent twice and oversized input without a 5xx", async () => {
    const dup = `${await authorizeUrl(f, await base())}&scope=openid`;
    assert.equal((await fetch(dup, { redirect: "manual" })).status, 400);
    const huge = await authorizeUrl(f, { ...(await base()), state: "x".repeat(5000) });
    const res = await fetch(huge, { redirect: "manual" });
    assert.ok(res.status >= 300 && res.status < 500, String(res.status));
  });
});

describe("token endpoint negatives", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });

  it("refuses a reused code and revokes what the first exchange issued", async () => {
    const login = await loginWithPkce(f);
    const tokens = await exchange(f, login);
    const replay = await postToken(f, {
      grant_type: "authorization_code", client_id: SPA_CLIENT.client_id, code: login.callback.searchParams.get("code")!,
      redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: login.verifier,
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, "invalid_grant");
    assert.equal(replay.headers.get("cache-control"), "no-store");
    const refresh = await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: tokens.refresh_token! });
    assert.equal(refresh.body.error, "invalid_grant");
  });

  it("refuses a wrong or missing code_verifier", async () => {
    for (const verifier of [oidc.randomPKCECodeVerifier(), undefined]) {
      const login = await loginWithPkce(f);
      const form: Record<string, string> = { grant_type: "authorization_code", client_id: SPA_CLIENT.client_id, code: login.callback.searchParams.get("code")!, redirect_uri: SPA_CLIENT.redirect_uris[0] };
      if (verifier) form.code_verifier = verifier;
      const res = await postToken(f, form);
      assert.equal(res.status, 400);
      assert.equal(res.body.error, "invalid_grant");
    }
  });

  it("refuses an expired code, and a code presented by another client", async () => {
    const login = await loginWithPkce(f);
    const code = login.callback.searchParams.get("code")!;
    const other = await postToken(f, { grant_type: "authorization_code", code, redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: login.verifier }, {
      authorization: `Basic ${Buffer.from(`${CONFIDENTIAL_CLIENT.client_id}:${CONFIDENTIAL_CLIENT.client_secret}`).toString("base64")}`,
    });
    assert.equal(other.body.error, "invalid_grant");
    const login2 = await loginWithPkce(f);
    f.server.advance(301);
    try {
      const res = await postToken(f, { grant_type: "authorization_code", client_id: SPA_CLIENT.client_id, code: login2.callback.searchParams.get("code")!, redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: login2.verifier });
      assert.equal(res.body.error, "invalid_grant");
    } finally {
      f.server.advance(-301);
    }
  });

  it("authenticates confidential clients and says invalid_client with 401 otherwise", async () => {
    const wrong = await postToken(f, { grant_type: "refresh_token", refresh_token: "x" }, {
      authorization: `Basic ${Buffer.from(`${CONFIDENTIAL_CLIENT.client_id}:wrong-secret`).toString("base64")}`,
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, "invalid_client");
    assert.match(wrong.headers.get("www-authenticate") ?? "", /^Basic/);
    const missing = await postToken(f, { grant_type: "refresh_token", client_id: CONFIDENTIAL_CLIENT.client_id, refresh_token: "x" });
    assert.equal(missing.status, 401);
    const unknown = await postToken(f, { grant_type: "refresh_token", client_id: "nobody", refresh_token: "x" });
    assert.equal(unknown.body.error, "invalid_client");
  });

  it("answers malformed and oversized bodies with 4xx JSON, never 5xx", async () => {
    const url = `${f.server.url}/oauth2/token`;
    const cases: RequestInit[] = [
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: "refresh_token" }) },
      { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" },
      { method: "POST", headers: { "content-type": "text/plain" }, body: "grant_type=refresh_token" },
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `grant_type=refresh_token&refresh_token=${"a".repeat(70000)}` },
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=refresh_token&grant_type=authorization_code" },
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "%zz=%%%&grant_type=%E0%A4%A" },
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" },
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=password&username=a&password=b" },
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `grant_type=refresh_token&client_id=${SPA_CLIENT.client_id}&refresh_token=..%00` },
      { method: "GET" },
    ];
    for (const init of cases) {
      const res = await fetch(url, init);
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} for ${String(init.body).slice(0, 60)}`);
      const body = await res.json();
      assert.equal(typeof body.error, "string");
      assert.doesNotMatch(JSON.stringify(body), /at .*\.ts:\d+/);
    }
  });
});

describe("refresh token lifetimes and rotation", () => {
  let f: Fixture;
  const ROTATING = { ...SPA_CLIENT, client_id: "rotating", refresh_token_rotation_enabled: true };
  const SHORT = { ...SPA_CLIENT, client_id: "short", refresh_token_lifetime_seconds: 3600, refresh_token_idle_timeout_seconds: 600 };
  before(async () => { f = await setup({ clients: [SPA_CLIENT, CONFIDENTIAL_CLIENT, ROTATING, SHORT] }); });
  after(async () => { await f.server.close(); });

  async function refreshTokenFor(clientId: string): Promise<string> {
    const config = await oidc.discovery(new URL(f.server.url), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const login = await loginWithPkce(f, { config });
    const tokens = await oidc.authorizationCodeGrant(config, login.callback, { pkceCodeVerifier: login.verifier, expectedNonce: login.nonce, expectedState: login.state });
    return tokens.refresh_token!;
  }
  const refresh = (clientId: string, token: string) => postToken(f, { grant_type: "refresh_token", client_id: clientId, refresh_token: token });

  it("rotates refresh tokens when the client asks, and refuses the old one after the grace period", async () => {
    const first = await refreshTokenFor("rotating");
    const r1 = await refresh("rotating", first);
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, first);
    // Within the grace period a retry gets the same new token (refresh-reuse.test.ts has the rest).
    assert.equal((await refresh("rotating", first)).body.refresh_token, r1.body.refresh_token);
    const r2 = await refresh("rotating", r1.body.refresh_token as string);
    assert.equal(r2.status, 200);
    f.server.advance(11);
    try {
      assert.equal((await refresh("rotating", first)).body.error, "invalid_grant");
      assert.equal((await refresh("rotating", r2.body.refresh_token as string)).status, 200);
    } finally {
      f.server.advance(-11);
    }
  });

  it("ends a grant after its idle timeout and its absolute lifetime", async () => {
    const idle = await refreshTokenFor("short");
    f.server.advance(601);
    try {
      assert.equal((await refresh("short", idle)).body.error, "invalid_grant");
    } finally {
      f.server.advance(-601);
    }
    const absolute = await refreshTokenFor("short");
    // Used every 500 s, so never idle; the 3600 s absolute lifetime ends it at step 8 (4000 s).
    for (let i = 1; i <= 8; i++) {
      f.server.advance(500);
      const r = await refresh("short", absolute);
      assert.equal(r.status, i < 8 ? 200 : 400, `step ${i}`);
    }
    f.server.advance(-4000);
  });

  it("refuses a refresh token presented by another client, and a revoked one", async () => {
    const token = await refreshTokenFor("test-spa");
    assert.equal((await refresh("short", token)).body.error, "invalid_grant");
    const res = await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${token}` });
    assert.equal(res.status, 200);
    assert.equal((await refresh("test-spa", token)).body.error, "invalid_grant");
    // Revoking garbage is still 200 (RFC 7009 §2.2).
    const junk = await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "token=junk" });
    assert.equal(junk.status, 200);
  });

  it("answers userinfo without a valid token with 401 and WWW-Authenticate", async () => {
    for (const authorization of [undefined, "Bearer garbage", "Basic abc", "Bearer a.b.c"]) {
      const res = await fetch(`${f.server.url}/oauth2/userinfo`, { headers: authorization ? { authorization } : {} });
      assert.equal(res.status, 401, String(authorization));
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
      assert.equal((await res.json()).error, "invalid_token");
    }
  });
});
