// The admin API over real HTTP: key auth, users, sessions, clients, audit log, OpenAPI.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, postToken, type Fixture, SPA_CLIENT } from "../oauth/fixture.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

describe("admin API", () => {
  let f: Fixture;
  let key: string;
  before(async () => {
    f = await setup();
    key = (await createAdminKey(f.server.ctx, "test")).key;
  });
  after(async () => { await f.server.close(); });

  const api = async (method: string, path: string, body?: unknown, auth = `Bearer ${key}`) => {
    const res = await fetch(`${f.server.url}/_api/admin${path}`, {
      method,
      headers: { ...(auth ? { authorization: auth } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get("content-type") };
  };

  it("refuses a missing or wrong key with 401 and no data", async () => {
    for (const auth of ["", "Bearer nope", `Bearer ${key.slice(0, -2)}xx`, `Basic ${key}`]) {
      const res = await api("GET", "/users", undefined, auth);
      assert.equal(res.status, 401, auth);
      assert.equal(res.body.code, "GH_ADMIN_UNAUTHENTICATED");
      assert.equal(res.body.items, undefined);
      assert.match(res.type ?? "", /problem\+json/);
    }
  });

  it("creates, searches, pages, updates and deletes users", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await api("POST", "/users", { email: `page${i}@example.com`, password: "pass-word-123", verified: i % 2 === 0 })).status, 201);
    assert.equal((await api("POST", "/users", { email: "PAGE0@example.com", password: "pass-word-123" })).status, 409);
    assert.equal((await api("POST", "/users", { email: "x@example.com", password: "short" })).status, 400);
    assert.equal((await api("POST", "/users", { email: "x@example.com", password: "long-enough-1", admin: true })).status, 400, "unknown fields are refused");

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api("GET", `/users?query=page&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(res.status, 200);
      seen.push(...res.body.items.map((u: { email: string }) => u.email));
      cursor = res.body.next_cursor;
    } while (cursor);
    assert.deepEqual(seen.sort(), ["page0@example.com", "page1@example.com", "page2@example.com", "page3@example.com", "page4@example.com"]);
    assert.equal((await api("GET", "/users?query=page_")).body.items.length, 0, "LIKE wildcards are literal");
    assert.equal((await api("GET", `/users?query=${f.userId}`)).body.items[0].id, f.userId);

    const id = (await api("GET", "/users?query=page3")).body.items[0].id;
    const patched = await api("PATCH", `/users/${id}`, { roles: ["editor"], is_verified: true });
    assert.deepEqual(patched.body.roles, ["editor"]);
    assert.equal((await api("PATCH", `/users/${id}`, { roles: ["Bad Role"] })).status, 400);
    assert.equal((await api("DELETE", `/users/${id}`)).status, 200);
    assert.equal((await api("GET", `/users/${id}`)).status, 404);
  });

  it("disables a user: resolver, userinfo and refresh fail on the next request; enable restores", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const bearer = { authorization: `Bearer ${tokens.access_token}` };
    const res = await api("POST", `/users/${f.userId}/disable`, { reason: "fraud" });
    assert.equal(res.body.is_disabled, true);
    assert.equal(res.body.disable_reason, "fraud");
    assert.equal((await fetch(`${f.server.url}/_resolver/resolve`, { headers: bearer })).headers.get("x-authgear-session-valid"), "false");
    assert.equal((await fetch(`${f.server.url}/oauth2/userinfo`, { headers: bearer })).status, 401);
    assert.equal((await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: tokens.refresh_token! })).body.error, "invalid_grant");
    await api("POST", `/users/${f.userId}/enable`);
    assert.equal((await fetch(`${f.server.url}/oauth2/userinfo`, { headers: bearer })).status, 200);
  });

  it("lists and revokes sessions, one or all", async () => {
    const a = await exchange(f, await loginWithPkce(f));
    const b = await exchange(f, await loginWithPkce(f));
    const list = await api("GET", `/users/${f.userId}/sessions`);
    assert.equal(list.status, 200);
    const grants = list.body.items.filter((s: { type: string }) => s.type === "offline_grant");
    assert.ok(grants.length >= 2);
    assert.ok(list.body.items.some((s: { type: string }) => s.type === "idp_session"));
    const sidA = JSON.parse(Buffer.from(a.access_token.split(".")[1], "base64url").toString()).sid;
    assert.equal((await api("DELETE", `/users/${f.userId}/sessions/${sidA}`)).status, 200);
    assert.equal((await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${a.access_token}` } })).status, 401);
    assert.equal((await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${b.access_token}` } })).status, 200);
    assert.equal((await api("DELETE", `/users/${f.userId}/sessions/o.00000000000000000000000000000000`)).status, 404);
    assert.equal((await api("DELETE", `/users/${f.userId}/sessions`)).status, 200);
    assert.equal((await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${b.access_token}` } })).status, 401);
    assert.equal((await api("GET", `/users/${f.userId}/sessions`)).body.items.length, 0);
  });

  it("updates a client's token lifetime, and new tokens use it", async () => {
    assert.equal((await api("PATCH", `/clients/${SPA_CLIENT.client_id}`, { access_token_lifetime_seconds: 100 })).status, 400);
    const res = await api("PATCH", `/clients/${SPA_CLIENT.client_id}`, { access_token_lifetime_seconds: 600 });
    assert.equal(res.body.access_token_lifetime_seconds, 600);
    const tokens = await exchange(f, await loginWithPkce(f));
    assert.equal(tokens.expires_in, 600);
    assert.deepEqual(await f.server.ctx.storage.clientSettings.all(), { [SPA_CLIENT.client_id]: { access_token_lifetime_seconds: 600 } });
    assert.equal((await api("GET", "/clients/nope")).status, 404);
  });

  it("records every action in the audit log", async () => {
    const log = await api("GET", "/audit-log?limit=200");
    const actions = log.body.items.map((e: { action: string }) => e.action);
    for (const a of ["user.create", "user.update", "user.delete", "user.disable", "user.enable", "session.revoke", "session.revoke_all", "client.update"]) assert.ok(actions.includes(a), a);
    const update = log.body.items.find((e: { action: string }) => e.action === "client.update");
    assert.match(update.actor, /^key:/);
    assert.equal(update.actor_name, "test", "the key's name");
  });

  it("serves an OpenAPI document generated from the schemas", async () => {
    const doc = await (await fetch(`${f.server.url}/_api/admin/openapi.json`)).json();
    assert.equal(doc.openapi, "3.1.0");
    assert.ok(doc.paths["/users/{id}/disable"].post);
    assert.deepEqual(doc.paths["/users"].post.requestBody.content["application/json"].schema.required, ["email", "password"]);
  });

  it("answers malformed bodies with a problem, never a 500", async () => {
    const res = await fetch(`${f.server.url}/_api/admin/users`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "{oops" });
    assert.equal(res.status, 400);
    assert.match(res.headers.get("content-type") ?? "", /problem\+json/);
  });
});

describe("admin API under a configured password policy", () => {
  let server: TestServer;
  let key: string;
  before(async () => {
    server = await startTestServer({ config: { authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 }, password_policy: { min_length: 12, excluded_keywords: ["gatehouse"] } } } });
    key = (await createAdminKey(server.ctx, "test")).key;
  });
  after(async () => { await server.close(); });

  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${server.url}/_api/admin${path}`, { method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, type: res.headers.get("content-type"), body: await res.json() as Record<string, unknown> };
  };

  it("refuses to create a user or set a password the policy refuses, with a problem naming the rule", async () => {
    const short = await api("POST", "/users", { email: "pol@example.com", password: "nine-char" });
    assert.equal(short.status, 400);
    assert.match(short.type ?? "", /problem\+json/);
    assert.equal(short.body.code, "GH_ADMIN_INVALID_REQUEST");
    assert.match(String(short.body.detail), /password policy.*at least 12 characters/);
    const banned = await api("POST", "/users", { email: "pol@example.com", password: "my gatehouse password" });
    assert.equal(banned.status, 400);
    assert.match(String(banned.body.detail), /banned words/);
    assert.equal(await server.ctx.storage.users.findByEmail("pol@example.com"), null);

    const created = await api("POST", "/users", { email: "pol@example.com", password: "a long enough phrase" });
    assert.equal(created.status, 201);
    const id = String(created.body.id);
    const hash = await server.ctx.storage.passwords.get(id);
    const weak = await api("POST", `/users/${id}/password`, { password: "too-short" });
    assert.equal(weak.status, 400);
    assert.match(String(weak.body.detail), /at least 12 characters/);
    assert.equal(await server.ctx.storage.passwords.get(id), hash, "the password is unchanged");
    assert.equal((await api("POST", `/users/${id}/password`, { password: "another long phrase" })).status, 200);
  });
});
