// The operators' admin API over real HTTP on SQLite and PostgreSQL: admin keys (list, last use at
// most once a minute, revoke: the key fails its next request), a user's lockout and second factors,
// the audit log's user events with names and filters, and validation errors in words.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAdminKey } from "../../src/admin/keys.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { UserAgent, post, csrfOf, finishAtApp, getPage, submitLogin, totpNow } from "../account/fixture.ts";

const EMAIL = "lost.phone@example.com";
const PASSWORD = "lost-phone-password-1";

for (const db of testDatabases()) {
  describe(`operators' admin API on ${db.name}`, { skip: db.skip }, () => {
    let server: TestServer;
    let key: string;
    let keyId: string;
    let userId: string;
    before(async () => {
      server = await startTestServer({ databaseUrl: db.url });
      ({ key, id: keyId } = await createAdminKey(server.ctx, "helpdesk"));
      userId = await server.createUser(EMAIL, PASSWORD);
    });
    after(async () => {
      await server?.close();
      await db.drop();
    });

    const api = async (method: string, path: string, body?: unknown, bearer = key) => {
      const res = await fetch(`${server.url}/_api/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const audit = async (query: string) => (await api("GET", `/audit-log?${query}`)).body.items as Record<string, unknown>[];

    it("lists keys with their last use, written at most once a minute; a revoked key fails its next request", async () => {
      const other = await createAdminKey(server.ctx, "ci");
      assert.equal((await api("GET", "/users?limit=1")).status, 200);
      const first = (await server.ctx.storage.adminKeys.get(keyId))!.lastUsedAt;
      assert.ok(first !== null);
      server.advance(30);
      await api("GET", "/users?limit=1");
      assert.equal((await server.ctx.storage.adminKeys.get(keyId))!.lastUsedAt, first, "not written again within the minute");
      server.advance(31);
      await api("GET", "/users?limit=1");
      // The clock is real time plus the advances: on a loaded machine a second may pass in between.
      const second = (await server.ctx.storage.adminKeys.get(keyId))!.lastUsedAt!;
      assert.ok(second >= first + 61 && second <= server.ctx.now(), `written again after a minute: ${first} → ${second}`);

      const list = await api("GET", "/admin-keys");
      const mine = list.body.items.find((k: { id: string }) => k.id === keyId);
      assert.deepEqual(Object.keys(mine).sort(), ["created_at", "id", "last_used_at", "name", "revoked_at"]);
      assert.equal(mine.name, "helpdesk");
      assert.equal(mine.last_used_at, new Date(second * 1000).toISOString());
      assert.equal(list.body.items.find((k: { id: string }) => k.id === other.id).last_used_at, null);

      assert.equal((await api("GET", "/users?limit=1", undefined, other.key)).status, 200);
      const revoked = await api("DELETE", `/admin-keys/${other.id}`);
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.revoked_at);
      const refused = await api("GET", "/users?limit=1", undefined, other.key);
      assert.equal(refused.status, 401, "refused on the very next request");
      assert.equal((await api("DELETE", `/admin-keys/${other.id}`)).status, 409);
      assert.equal((await api("DELETE", "/admin-keys/no-such-key")).status, 404);
      const [entry] = await audit("action=admin_key.revoke");
      assert.deepEqual([entry.actor_name, entry.target_name], ["helpdesk", "ci"], "names, not ids");
    });

    it("shows and clears a lockout made by real failed sign-ins; the audit log has each failure and the lock", async () => {
      for (let i = 0; i < 6; i++) assert.equal((await submitLogin(server, new UserAgent(), EMAIL, "wrong-password")).status, 401);
      const security = await api("GET", `/users/${userId}/security`);
      assert.equal(security.status, 200);
      assert.ok(security.body.locked_until, JSON.stringify(security.body));
      assert.equal(security.body.failed_attempts, 6);
      assert.equal((await submitLogin(server, new UserAgent(), EMAIL, PASSWORD)).status, 429, "locked: the right password is refused");

      const cleared = await api("DELETE", `/users/${userId}/lockout`);
      assert.deepEqual([cleared.status, cleared.body.locked_until, cleared.body.failed_attempts], [200, null, 0]);
      const agent = new UserAgent();
      await finishAtApp(server, agent, await submitLogin(server, agent, EMAIL, PASSWORD));

      const mine = await audit(`user_id=${userId}&limit=20`);
      assert.deepEqual(mine.slice(0, 3).map((e) => e.action), ["user.authenticated", "user.reset_lockout", "authentication.blocked"]);
      assert.equal(mine.filter((e) => e.action === "authentication.failed.primary.password").length, 6);
      assert.ok(mine.every((e) => e.target_name === EMAIL), "the user's email, not their id");
      assert.equal(mine[0].actor_name, EMAIL);
      assert.equal(mine[1].actor_name, "helpdesk");
      const failures = await audit(`user_id=${userId}&action=authentication.failed.primary.password&limit=4`);
      assert.equal(failures.length, 4);

      await submitLogin(server, new UserAgent(), "nobody@example.com", "whatever-password");
      const [unknown] = await audit("action=authentication.failed.identity.login_id");
      assert.deepEqual([unknown.target_type, unknown.target_name, unknown.actor], ["login_id", "nobody@example.com", "anonymous"]);
    });

    it("removes TOTP and recovery codes and ends nothing else; both changes are audited", async () => {
      const agent = new UserAgent();
      const tokens = await finishAtApp(server, agent, await submitLogin(server, agent, EMAIL, PASSWORD));
      const setup = await getPage(agent, `${server.url}/settings/totp`);
      const secret = /<code class="secret" id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup.html)![1].replace(/ /g, "");
      const on = await post(agent, `${server.url}/settings/totp`, { csrf: csrfOf(setup.html), code: await totpNow(secret, server.ctx.now()) });
      assert.equal(on.status, 200);
      assert.deepEqual((await api("GET", `/users/${userId}/security`)).body, { locked_until: null, failed_attempts: 0, totp_enabled: true, recovery_codes_remaining: 10 });

      const removed = await api("DELETE", `/users/${userId}/mfa`);
      assert.deepEqual(removed.body, { locked_until: null, failed_attempts: 0, totp_enabled: false, recovery_codes_remaining: 0 });
      assert.equal((await agent.request(`${server.url}/settings`)).status, 200, "the browser session lives on");
      const refreshed = await fetch(`${server.url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(tokens.refresh_token), client_id: "test-spa" }) });
      assert.equal(refreshed.status, 200, "so does the refresh token");
      const fresh = new UserAgent();
      const freshTokens = await finishAtApp(server, fresh, await submitLogin(server, fresh, EMAIL, PASSWORD)); // the password alone signs in again

      const [signedIn, gone, added] = await audit(`user_id=${userId}&limit=3`);
      assert.deepEqual((signedIn.details as { amr: string[] }).amr, ["pwd"]);
      assert.deepEqual([gone.action, gone.actor_name, gone.details], ["authenticator.totp.removed", "helpdesk", { totp_removed: true, recovery_codes_removed: 10, email: EMAIL }]);
      assert.deepEqual([added.action, added.actor_name], ["authenticator.totp.added", EMAIL]);
      assert.equal((await api("DELETE", "/users/00000000-0000-4000-8000-000000000000/mfa")).status, 404);

      // Signing out is recorded too.
      const out = await fresh.request(`${server.url}/oauth2/end_session?id_token_hint=${encodeURIComponent(String(freshTokens.id_token))}`);
      assert.ok(out.status < 400);
      const [signedOut] = await audit(`user_id=${userId}&action=user.signed_out`);
      assert.deepEqual([signedOut?.actor_name, (signedOut?.details as { sid: string }).sid.startsWith("i.")], [EMAIL, true]);
    });

    it("answers validation failures in words, with machine-readable detail per field", async () => {
      const short = await api("PATCH", "/clients/test-spa", { access_token_lifetime_seconds: 5 });
      assert.equal(short.status, 400);
      assert.equal(short.body.detail, "body.access_token_lifetime_seconds: at least 5 minutes");
      assert.deepEqual(short.body.errors, [{ field: "access_token_lifetime_seconds", code: "too_small", minimum: 300, message: "At least 5 minutes" }]);
      const long = await api("PATCH", "/clients/test-spa", { access_token_lifetime_seconds: 99 * 86400, refresh_token_rotation_enabled: "yes" });
      assert.deepEqual(long.body.errors.map((e: { message: string }) => e.message), ["At most 30 days", "Choose yes or no"]);
      assert.equal((await api("POST", "/users", { email: "x@example.com", password: "long-enough-1", admin: true })).body.errors[0].message, "Not a field this request takes: admin");
      assert.equal((await api("POST", "/users", { password: "long-enough-1" })).body.detail, "body.email: required");
      assert.equal((await api("GET", "/audit-log?limit=0")).body.detail, "query.limit: at least 1");
      assert.doesNotMatch(JSON.stringify([short.body, long.body]), /Too small|Too big|expected number|Invalid input/);
    });
  });
}
