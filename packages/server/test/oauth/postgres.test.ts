// The protocol on PostgreSQL, and two stateless nodes sharing one database and public origin: a
// token minted on one node is honoured by the other, and a revocation made on one reaches the
// other's cache — through the revocation log within a poll interval, or, with Redis, at once
// (the nodes there poll the log only every minute, so only the Redis nudge can be that quick).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { setup, loginWithPkce, exchange, oidc, type Fixture } from "./fixture.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";

const variants = [
  { name: "on PostgreSQL, with two nodes", revocationPollMs: undefined, redis: false, within: 1000 },
  { name: "on PostgreSQL and Redis, with two nodes polling the log once a minute", revocationPollMs: 60_000, redis: true, within: 500 },
];

for (const v of variants) {
  describe(v.name, () => {
    const schema = `gh_test_${randomBytes(6).toString("hex")}`;
    const url = `${POSTGRES_URL}?schema=${schema}`;
    const redisPrefix = `gh-test-${randomBytes(6).toString("hex")}:`;
    const config = v.redis ? { redis: { url: REDIS_URL, key_prefix: redisPrefix } } : {};
    let a: Fixture;
    let b: TestServer;
    before(async () => {
      a = await setup({ databaseUrl: url, config, revocationPollMs: v.revocationPollMs });
      b = await startTestServer({ databaseUrl: url, config: { ...config, http: { public_origin: a.server.url } }, revocationPollMs: v.revocationPollMs });
    });
    after(async () => {
      await a?.server.close();
      await b?.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      if (v.redis) await dropRedisKeys(redisPrefix);
    });

    it(`shares keys and sessions, and revocations reach the other node's cache within ${v.within} ms`, async () => {
      const tokens = await exchange(a, await loginWithPkce(a));
      assert.equal(await (await fetch(`${a.server.url}/oauth2/jwks`)).text(), await (await fetch(`${b.url}/oauth2/jwks`)).text(), "one key, generated once");
      const validOnB = async () => (await fetch(`${b.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).headers.get("x-authgear-session-valid");
      assert.equal(await validOnB(), "true");
      assert.equal(await validOnB(), "true", "now cached on B");
      await oidc.tokenRevocation(a.spa, tokens.refresh_token!);
      let state = "true";
      const t0 = Date.now();
      while (state === "true" && Date.now() - t0 < 2000) {
        await new Promise((r) => setTimeout(r, 10));
        state = (await validOnB())!;
      }
      assert.equal(state, "false");
      assert.ok(Date.now() - t0 < v.within, `B saw the revocation after ${Date.now() - t0} ms`);
      const refreshOnB = await fetch(`${b.url}/oauth2/token`, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", client_id: "test-spa", refresh_token: tokens.refresh_token! }),
      });
      assert.equal((await refreshOnB.json()).error, "invalid_grant");
    });
  });
}
