// Sign-up and sign-in with email, phone or username login IDs over real HTTP (the hosted pages
// through a cookie-keeping agent, then the OAuth code flow), the claims userinfo gives for them,
// and the admin API's identity endpoints.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as oidc from "openid-client";
import { startTestServer, SPA_CLIENT, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";
import { createAdminKey } from "../../src/admin/keys.ts";

const PASSWORD = "correct horse battery staple";
const SCOPE = "openid offline_access email phone profile https://authgear.com/scopes/full-access";

describe("login IDs: email, phone and username", () => {
  let server: TestServer;
  let spa: oidc.Configuration;
  let adminKey: string;
  before(async () => {
    server = await startTestServer({
      config: {
        identity: { login_id: { keys: [{ type: "email" }, { type: "phone" }, { type: "username" }] } },
        ui: { phone_input: { pinned_list: ["HK"] } },
      },
    });
    spa = await oidc.discovery(new URL(server.url), SPA_CLIENT.client_id, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    adminKey = (await createAdminKey(server.ctx, "test")).key;
  });
  after(async () => { await server?.close(); });

  /** Runs the code flow; `form` is "login" or "signup" and its fields; returns the tokens, or the page it stopped on. */
  async function flow(form: "login" | "signup", fields: Record<string, string>, agent = new UserAgent()) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(spa, {
      redirect_uri: SPA_CLIENT.redirect_uris[0], scope: SCOPE, state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    });
    let page = await agent.follow(url.toString(), server.url);
    if (form === "signup") {
      const flowId = /name="flow" value="([^"]+)"/.exec(await page.response.text())![1];
      page = await agent.follow(`${server.url}/signup?flow=${flowId}`, server.url);
    }
    const html = await page.response.text();
    const done = await agent.submitForm(page.url, html, { password: PASSWORD, ...fields }, server.url);
    if (new URL(done.url).origin === server.url) return { ok: false as const, status: done.response.status, html: await done.response.text(), agent };
    const tokens = await oidc.authorizationCodeGrant(spa, new URL(done.url), { pkceCodeVerifier: verifier, expectedState: state });
    return { ok: true as const, tokens, agent };
  }

  async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
    assert.equal(res.status, 200);
    return (await res.json()) as Record<string, unknown>;
  }

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/_api/admin${path}`, {
      method, headers: { authorization: `Bearer ${adminKey}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  it("the sign-up page offers every configured login ID, none required; sign-in has one field for all", async () => {
    const signup = await (await fetch(`${server.url}/signup`)).text();
    for (const [name, type] of [["email", "email"], ["phone", "tel"], ["username", "text"]]) {
      assert.match(signup, new RegExp(`<input id="${name}" name="${name}" type="${type}"[^>]*>`));
      assert.doesNotMatch(/<input id="phone"[^>]*>/.exec(signup)![0], /required/);
    }
    const login = await (await fetch(`${server.url}/login`)).text();
    assert.match(login, /<label for="login_id">Email, phone number or username<\/label>/);
    assert.doesNotMatch(login, /id="email"/);
  });

  it("a username-only user signs up (no email, no verification step) and signs in however the name is cased", async () => {
    const up = await flow("signup", { username: "River_Song" });
    assert.ok(up.ok, up.ok ? "" : up.html);
    const info = await userinfo(up.tokens.access_token);
    assert.equal(info.email, undefined);
    assert.equal(info.preferred_username, "river_song");
    assert.deepEqual((info["https://authgear.com/claims/user/identities"] as Record<string, unknown>[]).map((i) => [i.type, i.login_id_key, i.login_id_type]), [["login_id", "username", "username"]]);
    assert.deepEqual((info["https://authgear.com/claims/user/authenticators"] as Record<string, unknown>[]).map((a) => [a.type, a.kind]), [["password", "primary"]]);
    assert.equal(info["https://authgear.com/claims/user/recovery_code_enabled"], false);
    const user = await server.ctx.storage.users.get(String(info.sub));
    assert.equal(user?.email, null);

    const again = await flow("login", { login_id: "RIVER_song" });
    assert.ok(again.ok, again.ok ? "" : again.html);
    assert.equal((await userinfo(again.tokens.access_token)).sub, info.sub);
    // The settings page lists the username and says there is no email to reset by.
    const settings = await (await again.agent.request(`${server.url}/settings`)).text();
    assert.match(settings, /Ways to sign in/);
    assert.match(settings, /<strong>Username<\/strong><br><span>River_Song<\/span>/);
    assert.match(settings, /no email address, so you cannot reset your password by email/);
    assert.doesNotMatch(settings, /id="email-heading"/);
  });

  it("a phone user signs up and signs in with the number written another way; userinfo has phone_number", async () => {
    const up = await flow("signup", { phone: "+852 6123 4567" });
    assert.ok(up.ok, up.ok ? "" : up.html);
    const again = await flow("login", { login_id: "+85261234567" });
    assert.ok(again.ok, again.ok ? "" : again.html);
    const info = await userinfo(again.tokens.access_token);
    assert.equal(info.phone_number, "+85261234567");
    assert.equal(info.phone_number_verified, false);
    assert.equal(info.email, undefined);
    // Typed without +: read in the pinned region (HK).
    const local = await flow("login", { login_id: "6123 4567" });
    assert.ok(local.ok, local.ok ? "" : local.html);
  });

  it("refuses taken, reserved, invalid and missing login IDs with a readable page and no user", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ username: "river_song" }, /An account with this username already exists/],
      [{ phone: "+85261234567" }, /An account with this phone number already exists/],
      [{ username: "Admin" }, /That Username is reserved/],
      [{ username: "bad name!" }, /Username may use only letters, digits/],
      [{ phone: "12" }, /Enter a valid phone number/],
      [{ email: "nope" }, /Enter a valid email address/],
      [{}, /Enter at least one of: email, phone number or username/],
    ];
    for (const [fields, message] of cases) {
      const r = await flow("signup", fields);
      assert.ok(!r.ok, JSON.stringify(fields));
      assert.equal(r.status, 400, JSON.stringify(fields));
      assert.match(r.html, message, JSON.stringify(fields));
    }
  });

  it("a wrong password or unknown login ID is one answer", async () => {
    for (const login_id of ["river_song", "nobody_here", "+85291234567"]) {
      const r = await flow("login", { login_id, password: "wrong" });
      assert.ok(!r.ok);
      assert.equal(r.status, 401);
      assert.match(r.html, /Incorrect email, phone number or username or password/);
    }
  });

  it("the forgot-password page says reset is by email only", async () => {
    assert.match(await (await fetch(`${server.url}/forgot`)).text(), /Password reset works by email only/);
  });

  it("admin API: look up by login ID, list, add and remove identities, never the last", async () => {
    const found = await api("GET", `/users/lookup?login_id_key=username&login_id=${encodeURIComponent("RIVER_SONG")}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.email, null);
    const id = found.body.id as string;
    assert.equal((await api("GET", "/users/lookup?login_id_key=username&login_id=nobody")).status, 404);
    assert.equal((await api("GET", "/users/lookup?login_id_key=username")).status, 400);

    const listed = await api("GET", `/users/${id}/identities`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.items.length, 1);
    const only = listed.body.items[0];
    assert.equal((await api("DELETE", `/users/${id}/identities/${only.id}`)).status, 409);

    const added = await api("POST", `/users/${id}/identities`, { key: "email", login_id: "River@Example.com" });
    assert.equal(added.status, 201);
    assert.equal(added.body.login_id, "river@example.com");
    assert.equal(added.body.original_login_id, "River@Example.com");
    assert.equal((await api("GET", `/users/${id}`)).body.email, "river@example.com", "the first email becomes the primary email");
    assert.equal((await api("POST", `/users/${id}/identities`, { key: "email", login_id: "river@example.com" })).status, 409);
    assert.equal((await api("POST", `/users/${id}/identities`, { key: "fax", login_id: "1" })).status, 400);
    assert.equal((await api("POST", `/users/${id}/identities`, { key: "phone", login_id: "not a phone" })).status, 400);

    assert.equal((await api("DELETE", `/users/${id}/identities/${only.id}`)).status, 200);
    const after = await api("GET", `/users/${id}/identities`);
    assert.deepEqual(after.body.items.map((i: { login_id: string }) => i.login_id), ["river@example.com"]);
    assert.equal((await api("DELETE", `/users/${id}/identities/${only.id}`)).status, 404);
    // The user now signs in with the email, and no longer with the username.
    assert.ok((await flow("login", { login_id: "river@example.com" })).ok);
    assert.ok(!(await flow("login", { login_id: "river_song" })).ok);
  });
});

describe("login IDs: case-sensitive email", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { identity: { login_id: { types: { email: { case_sensitive: true } } } } } });
  });
  after(async () => { await server?.close(); });

  it("keeps the local part's case in the login ID and makes exactly one email identity", async () => {
    const { createUser } = await import("../../src/users/users.ts");
    const { buildLoginIds } = await import("../../src/identity/service.ts");
    const built = buildLoginIds(server.ctx, "", { email: "John.Smith@Example.com" });
    assert.ok(built.ok);
    const r = await createUser(server.ctx, { loginIds: built.identities, password: PASSWORD });
    assert.ok(r.ok);
    const ids = await server.ctx.storage.identities.listByUser(r.user.id);
    assert.deepEqual(ids.map((i) => [i.loginIdKey, i.loginId]), [["email", "John.Smith@example.com"]]);
  });
});
