// Two nodes on one PostgreSQL database: a role given through a group on node A shows in node B's
// resolver headers and userinfo for a token B has already cached the user of — through the
// `user_changed` events the role change logged in its own transaction — within a poll interval.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { setup, loginWithPkce, exchange, type Fixture } from "../oauth/fixture.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { skipPostgres } from "../storage/fixtures.ts";

describe("roles across two nodes", { skip: skipPostgres }, () => {
  const schema = `gh_test_${randomBytes(6).toString("hex")}`;
  const url = `${POSTGRES_URL}?schema=${schema}`;
  let a: Fixture;
  let b: TestServer;
  before(async () => {
    a = await setup({ databaseUrl: url });
    b = await startTestServer({ databaseUrl: url, config: { http: { public_origin: a.server.url } } });
  });
  after(async () => {
    await a?.server.close();
    await b?.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("a group's new role reaches the other node's cached user within a second", async () => {
    const key = (await createAdminKey(a.server.ctx, "test")).key;
    const api = (method: string, path: string, body?: unknown) => fetch(`${a.server.url}/_api/admin${path}`, {
      method, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const tokens = await exchange(a, await loginWithPkce(a));
    const rolesOnB = async () => (await fetch(`${b.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).headers.get("x-authgear-user-roles");
    assert.equal((await api("POST", "/roles", { key: "auditor" })).status, 201);
    assert.equal((await api("POST", "/groups", { key: "finance" })).status, 201);
    assert.equal((await api("POST", `/users/${a.userId}/groups`, { groups: ["finance"] })).status, 200);
    assert.equal(await rolesOnB(), null);
    assert.equal(await rolesOnB(), null, "B has the user cached now");
    assert.equal((await api("POST", "/groups/finance/roles", { roles: ["auditor"] })).status, 200);
    const t0 = Date.now();
    let roles = await rolesOnB();
    while (roles === null && Date.now() - t0 < 3000) {
      await new Promise((r) => setTimeout(r, 20));
      roles = await rolesOnB();
    }
    assert.equal(roles, "auditor");
    assert.ok(Date.now() - t0 < 1000, `B saw the role after ${Date.now() - t0} ms`);
    const info = await (await fetch(`${b.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
    assert.deepEqual(info["https://authgear.com/claims/user/roles"], ["auditor"]);
  });
});
