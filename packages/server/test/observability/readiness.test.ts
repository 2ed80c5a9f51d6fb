// Readiness decides on the database alone: Redis down is reported, but rate limits fail open and
// revocations still travel through the database's log, so the node can serve (issue 10 §3).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { connectRedis } from "../../src/storage/redis.ts";
import { openSqlite } from "../../src/storage/sqlite/index.ts";
import { checkReady } from "../../src/observability/readiness.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";

describe("readiness and Redis", () => {
  it("Redis cut or frozen: reported, still ready, and the check answers within its bound", async () => {
    const storage = openSqlite(":memory:");
    await storage.migrate();
    const proxy = await startTcpProxy({ port: 6379 });
    const redis = await connectRedis(`redis://127.0.0.1:${proxy.port}`);
    try {
      const up = await checkReady({ storage, redis });
      assert.equal(up.ok, true);
      assert.equal(up.checks.redis?.ok, true);
      for (const fault of ["cut", "freeze"] as const) {
        proxy[fault]();
        const started = performance.now();
        const r = await checkReady({ storage, redis }, { timeoutMs: 300 });
        assert.ok(performance.now() - started < 1000, `${fault}: answered in ${Math.round(performance.now() - started)} ms`);
        assert.equal(r.ok, true, `${fault}: Redis does not decide readiness`);
        assert.equal(r.checks.database.ok, true);
        assert.equal(r.checks.redis?.ok, false, `${fault}: but it is reported`);
        proxy.restore();
        for (let i = 0; i < 50 && !(await checkReady({ storage, redis })).checks.redis?.ok; i++) await new Promise((res) => setTimeout(res, 100));
        assert.equal((await checkReady({ storage, redis })).checks.redis?.ok, true, `${fault}: Redis back`);
      }
    } finally {
      redis.disconnect();
      await proxy.close();
      await storage.close();
    }
  });
});
