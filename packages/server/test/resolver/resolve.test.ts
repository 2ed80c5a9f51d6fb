// /_resolver/resolve: Authgear's header contract for bearer tokens and the session cookie.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, type Fixture } from "../oauth/fixture.ts";
import { UserAgent } from "../support/user-agent.ts";
import { adminSetDisabled, adminUpdateUser } from "../../src/admin/operations.ts";

const OPERATOR = { id: "test" };

const xHeaders = (res: Response): Record<string, string> =>
  Object.fromEntries([...res.headers].filter(([k]) => k.startsWith("x-authgear-")));

describe("resolver", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });
  const resolve = (headers: Record<string, string> = {}, method = "GET") => fetch(`${f.server.url}/_resolver/resolve`, { method, headers });

  it("answers 200 with no x-authgear headers and no body when there is no credential", async () => {
    const res = await resolve();
    assert.equal(res.status, 200);
    assert.deepEqual(xHeaders(res), {});
    assert.equal(await res.text(), "");
  });

  it("says only session-valid=false for a bad token", async () => {
    for (const authorization of ["Bearer nope", "Bearer a.b.c", "Basic Zm9vOmJhcg=="]) {
      const res = await resolve({ authorization });
      assert.equal(res.status, 200);
      assert.deepEqual(xHeaders(res), { "x-authgear-session-valid": "false" });
    }
  });

  it("resolves a bearer token to the full header set, also on HEAD and any forwarded method", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    for (const method of ["GET", "HEAD", "POST"]) {
      const h = xHeaders(await resolve({ authorization: `Bearer ${tokens.access_token}` }, method));
      assert.equal(h["x-authgear-session-valid"], "true", method);
      assert.equal(h["x-authgear-user-id"], f.userId);
      assert.equal(h["x-authgear-user-anonymous"], "false");
      assert.equal(h["x-authgear-user-verified"], "true");
      assert.equal(h["x-authgear-user-can-reauthenticate"], "true");
      assert.equal(h["x-authgear-session-amr"], "pwd");
      assert.match(h["x-authgear-session-authenticated-at"], /^\d{10}$/);
      assert.equal(h["x-authgear-user-roles"], undefined, "omitted when the user has no roles");
    }
  });

  it("resolves the session cookie, and clears a dead one", async () => {
    const login = await loginWithPkce(f, { agent: new UserAgent() });
    const cookie = `session=${login.agent.cookies.get("session")}`;
    const live = await resolve({ cookie });
    assert.equal(xHeaders(live)["x-authgear-user-id"], f.userId);
    const dead = await resolve({ cookie: "session=0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    assert.deepEqual(xHeaders(dead), { "x-authgear-session-valid": "false" });
    assert.match(dead.headers.getSetCookie().join(), /session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it("is invalid on the very next call after the user is disabled or the session revoked", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    assert.equal(xHeaders(await resolve(auth))["x-authgear-session-valid"], "true");
    await adminSetDisabled(f.server.ctx, OPERATOR, f.userId, true, "test");
    assert.equal(xHeaders(await resolve(auth))["x-authgear-session-valid"], "false");
    await adminSetDisabled(f.server.ctx, OPERATOR, f.userId, false, "");
    assert.equal(xHeaders(await resolve(auth))["x-authgear-session-valid"], "true");
    await fetch(`${f.server.url}/oauth2/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `token=${tokens.refresh_token}` });
    assert.equal(xHeaders(await resolve(auth))["x-authgear-session-valid"], "false");
  });

  it("lists roles comma-joined", async () => {
    await adminUpdateUser(f.server.ctx, OPERATOR, f.userId, { roles: ["admin", "editor"] });
    const tokens = await exchange(f, await loginWithPkce(f));
    assert.equal(xHeaders(await resolve({ authorization: `Bearer ${tokens.access_token}` }))["x-authgear-user-roles"], "admin,editor");
    await adminUpdateUser(f.server.ctx, OPERATOR, f.userId, { roles: [] });
  });
});

describe("SSO off (x_sso_enabled=false), as Authgear's SDKs send by default", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });

  it("leaves no shared session cookie and does not reuse an existing one", async () => {
    const agent = new UserAgent();
    const login = await loginWithPkce(f, { agent, extra: { x_sso_enabled: "false", x_suppress_idp_session_cookie: "true" } });
    const tokens = await exchange(f, login);
    assert.ok(tokens.access_token);
    assert.equal(agent.cookies.has("session"), false);
    assert.equal(agent.cookies.has("gh_login"), false, "the hand-off cookie is used once");
    // With SSO on, the login leaves a session; an SSO-off request must still show the login page.
    await loginWithPkce(f, { agent });
    assert.ok(agent.cookies.has("session"));
    const before = (await f.server.ctx.storage.sessions.listByUser(f.userId)).length;
    const again = await loginWithPkce(f, { agent, extra: { x_sso_enabled: "false" } });
    assert.ok(again.callback.searchParams.get("code"));
    assert.equal((await f.server.ctx.storage.sessions.listByUser(f.userId)).length, before + 1, "a fresh login, not SSO");
  });
});
