// The device-key flows on PostgreSQL (challenges in the database) and on PostgreSQL with Redis
// (challenges in Redis under redis.key_prefix): anonymous sign-up and reuse refused, biometric setup
// and sign-in, a promotion code spent once.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { TestServer } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";
import { Device, challenge } from "./device.ts";
import { EMAIL, NATIVE_CLIENT, PASSWORD, codeExchange, nativeSignIn, postToken, startNativeServer } from "./fixture.ts";

const pgDb = testDatabases().find((d) => d.name === "PostgreSQL")!;

for (const withRedis of [false, true]) {
  describe(`device keys on PostgreSQL${withRedis ? " and Redis" : ""}`, { skip: pgDb.skip }, () => {
    const db = testDatabases().find((d) => d.name === "PostgreSQL")!;
    const prefix = `gh_test_${randomBytes(4).toString("hex")}:`;
    let server: TestServer;
    before(async () => {
      server = await startNativeServer({ databaseUrl: db.url, config: withRedis ? { redis: { url: REDIS_URL, key_prefix: prefix } } : {} });
      await server.createUser(EMAIL, PASSWORD);
    });
    after(async () => {
      await server?.close();
      await db.drop();
      if (withRedis) await dropRedisKeys(prefix);
    });

    it("anonymous, biometric and promotion codes work; challenges are single use", async () => {
      const device = new Device();
      const token = await challenge(server.url, "anonymous_request");
      const jwt = device.anonymousJwt(token, "auth");
      const grant = "urn:authgear:params:oauth:grant-type:anonymous-request";
      const first = await postToken(server, { grant_type: grant, client_id: NATIVE_CLIENT.client_id, jwt });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal((await postToken(server, { grant_type: grant, client_id: NATIVE_CLIENT.client_id, jwt })).body.error, "invalid_grant");
      if (withRedis) assert.ok((await server.ctx.redis!.keys(`${prefix}one-time-token:*`)).length === 0, "spent challenge left in Redis");

      const tokens = await codeExchange(server, await nativeSignIn(server));
      const bio = new Device();
      const setup = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:biometric-request", client_id: NATIVE_CLIENT.client_id, jwt: bio.biometricJwt(await challenge(server.url, "biometric_request"), "setup") }, { authorization: `Bearer ${tokens.body.access_token}` });
      assert.equal(setup.status, 200, JSON.stringify(setup.body));
      const auth = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:biometric-request", client_id: NATIVE_CLIENT.client_id, jwt: bio.biometricJwt(await challenge(server.url, "biometric_request"), "authenticate"), scope: "openid offline_access https://authgear.com/scopes/full-access" });
      assert.equal(auth.status, 200, JSON.stringify(auth.body));

      const res = await fetch(`${server.url}/api/anonymous_user/promotion_code`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ session_type: "refresh_token", refresh_token: first.body.refresh_token }) });
      assert.equal(res.status, 200);
    });
  });
}
