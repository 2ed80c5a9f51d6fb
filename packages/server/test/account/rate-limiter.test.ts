// The RateLimiter port's contract, run against the in-process limiter and the Redis one (the real
// Redis of test/support/redis.ts; each test run uses its own key prefix).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { createMemoryRateLimiter, type RateLimiter } from "../../src/account/limits/rate-limiter.ts";
import { createRedisRateLimiter } from "../../src/account/limits/redis-rate-limiter.ts";
import { connectRedis } from "../../src/storage/redis.ts";
import { REDIS_URL, dropRedisKeys } from "../support/redis.ts";
import { freePort } from "../support/server.ts";

const prefix = `gh-test-${randomBytes(6).toString("hex")}:`;
const connections: Redis[] = [];

async function redisLimiter(onError: (err: Error) => void = (err) => assert.fail(err)): Promise<{ limiter: RateLimiter; redis: Redis }> {
  const redis = await connectRedis(REDIS_URL);
  connections.push(redis);
  return { limiter: createRedisRateLimiter(redis, { prefix, onError }), redis };
}

after(async () => {
  await dropRedisKeys(prefix);
  for (const r of connections) r.disconnect();
});

const implementations: { name: string; make(): Promise<RateLimiter> }[] = [
  { name: "memory", make: async () => createMemoryRateLimiter() },
  { name: "redis", make: async () => (await redisLimiter()).limiter },
];

for (const impl of implementations) {
  describe(`rate limit buckets (${impl.name})`, () => {
    it("allows `burst` and refills completely `period` after the first token", async () => {
      const limiter = await impl.make();
      const spec = { name: "t", enabled: true, burst: 3, period: 60 };
      for (let i = 0; i < 3; i++) assert.equal((await limiter.take(spec, "ip", 100 + i)).ok, true);
      assert.deepEqual(await limiter.take(spec, "ip", 110), { ok: false, retryAfter: 50 });
      assert.deepEqual(await limiter.check(spec, "ip", 159), { ok: false, retryAfter: 1 });
      assert.equal((await limiter.take(spec, "ip", 160)).ok, true);
      assert.equal((await limiter.take(spec, "other", 110)).ok, true, "buckets are per key");
      assert.equal((await limiter.take({ ...spec, name: "u" }, "ip", 110)).ok, true, "and per limit");
      assert.equal((await limiter.take({ ...spec, enabled: false }, "ip", 110)).ok, true);
    });

    it("refund gives a token back within the period, never beyond burst", async () => {
      const limiter = await impl.make();
      const spec = { name: "r", enabled: true, burst: 2, period: 60 };
      await limiter.refund(spec, "ip", 0); // nothing taken: nothing to give back
      assert.equal((await limiter.take(spec, "ip", 0)).ok, true);
      assert.equal((await limiter.take(spec, "ip", 0)).ok, true);
      assert.equal((await limiter.take(spec, "ip", 0)).ok, false);
      await limiter.refund(spec, "ip", 1);
      assert.equal((await limiter.take(spec, "ip", 1)).ok, true, "the refunded token");
      assert.equal((await limiter.take(spec, "ip", 1)).ok, false);
      for (let i = 0; i < 5; i++) await limiter.refund(spec, "ip", 2);
      assert.equal((await limiter.take(spec, "ip", 2)).ok, true);
      assert.equal((await limiter.take(spec, "ip", 2)).ok, true);
      assert.equal((await limiter.take(spec, "ip", 2)).ok, false, "refunds never exceed burst");
    });

    it("check takes nothing", async () => {
      const limiter = await impl.make();
      const spec = { name: "c", enabled: true, burst: 1, period: 60 };
      for (let i = 0; i < 5; i++) assert.equal((await limiter.check(spec, "ip", 0)).ok, true);
      assert.equal((await limiter.take(spec, "ip", 0)).ok, true);
      assert.equal((await limiter.check(spec, "ip", 0)).ok, false);
    });
  });
}

describe("rate limit buckets in memory", () => {
  it("stays bounded", async () => {
    const limiter = createMemoryRateLimiter({ maxBuckets: 10 });
    const spec = { name: "t", enabled: true, burst: 1, period: 60 };
    for (let i = 0; i < 100; i++) await limiter.take(spec, `k${i}`, 0);
    assert.equal((await limiter.take(spec, "k99", 1)).ok, false, "recent keys are kept");
    assert.equal((await limiter.take(spec, "k0", 1)).ok, true, "the oldest went");
  });
});

describe("rate limit buckets in Redis", () => {
  it("are shared: nodes taking at once never hand out more than `burst`", async () => {
    const nodes = await Promise.all([redisLimiter(), redisLimiter(), redisLimiter()]);
    const spec = { name: "shared", enabled: true, burst: 10, period: 60 };
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => nodes[i % 3].limiter.take(spec, "203.0.113.7", 1000)));
    assert.equal(results.filter((r) => r.ok).length, 10);
  });

  it("expire in Redis after their period", async () => {
    const { limiter, redis } = await redisLimiter();
    await limiter.take({ name: "ttl", enabled: true, burst: 5, period: 60 }, "k", 0);
    const ttl = await redis.ttl(`${prefix}rl:ttl:k`);
    assert.ok(ttl > 0 && ttl <= 61, `ttl ${ttl}`);
  });

  it("let requests through, and say so, while Redis is unreachable", async () => {
    const errors: Error[] = [];
    const { limiter, redis } = await redisLimiter((err) => errors.push(err));
    const spec = { name: "down", enabled: true, burst: 1, period: 60 };
    await limiter.take(spec, "k", 0);
    redis.disconnect();
    const started = Date.now();
    assert.deepEqual(await limiter.take(spec, "k", 0), { ok: true });
    assert.ok(Date.now() - started < 1000, "no waiting for a reconnect");
    assert.equal(errors.length, 1);
  });

  it("refuse to start against an address where no Redis answers, without printing its password", async () => {
    const port = await freePort(); // nothing listens there
    await assert.rejects(connectRedis(`redis://:s3cret@127.0.0.1:${port}`), (err: Error) => {
      assert.match(err.message, /^redis\.url: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1/);
      assert.doesNotMatch(err.message, /s3cret/);
      return true;
    });
  });
});
