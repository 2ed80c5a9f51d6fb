// Rate limits shared by every node through Redis (`redis.url`): the same buckets as the in-process
// limiter, so a limit of 10 per minute stays 10 per minute behind any number of nodes. Each check or
// take is one atomic script run, so concurrent requests on different nodes cannot both take the last
// token. The caller's clock decides when a bucket resets (as in memory); Redis's own expiry only
// cleans up, a little after that.
import type { Redis } from "ioredis";
import type { RateLimiter, RateLimitResult, RateLimitSpec } from "./rate-limiter.ts";

// KEYS[1]: the bucket. ARGV: now, burst, period (seconds), take (1) or only check (0).
// Returns { allowed (1/0), seconds until the bucket resets }.
const BUCKET_SCRIPT = `
local now, burst, period, take = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4] == "1"
local b = redis.call("HMGET", KEYS[1], "remaining", "reset_at")
local remaining, reset_at = tonumber(b[1]), tonumber(b[2])
if remaining == nil or reset_at == nil or reset_at <= now then
  if take then
    redis.call("HSET", KEYS[1], "remaining", burst - 1, "reset_at", now + period)
    redis.call("EXPIRE", KEYS[1], period + 1)
  end
  return { 1, 0 }
end
if remaining <= 0 then return { 0, reset_at - now } end
if take then redis.call("HINCRBY", KEYS[1], "remaining", -1) end
return { 1, 0 }
`;

// KEYS[1]: the bucket. ARGV: now, burst. Gives one token back if the bucket is still in its period.
const REFUND_SCRIPT = `
local now, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call("HMGET", KEYS[1], "remaining", "reset_at")
local remaining, reset_at = tonumber(b[1]), tonumber(b[2])
if remaining == nil or reset_at == nil or reset_at <= now or remaining >= burst then return 0 end
redis.call("HINCRBY", KEYS[1], "remaining", 1)
return 1
`;

type BucketRedis = Redis & {
  gatehouseBucket(key: string, now: number, burst: number, period: number, take: 0 | 1): Promise<[number, number]>;
  gatehouseRefund(key: string, now: number, burst: number): Promise<number>;
};

export interface RedisRateLimiterOptions {
  /** Prepended to every key, so deployments (and test runs) sharing a Redis do not share buckets. */
  prefix: string;
  /** Told when Redis fails; the request is then let through (see below). */
  onError: (err: Error) => void;
}

export function createRedisRateLimiter(redis: Redis, options: RedisRateLimiterOptions): RateLimiter {
  redis.defineCommand("gatehouseBucket", { numberOfKeys: 1, lua: BUCKET_SCRIPT });
  redis.defineCommand("gatehouseRefund", { numberOfKeys: 1, lua: REFUND_SCRIPT });
  const r = redis as BucketRedis;
  const keyOf = (spec: RateLimitSpec, key: string): string => `${options.prefix}rl:${spec.name}:${key}`;

  const run = async (spec: RateLimitSpec, key: string, now: number, take: 0 | 1): Promise<RateLimitResult> => {
    if (!spec.enabled) return { ok: true };
    try {
      const [allowed, retryAfter] = await r.gatehouseBucket(keyOf(spec, key), now, spec.burst, spec.period, take);
      return allowed === 1 ? { ok: true } : { ok: false, retryAfter };
    } catch (err) {
      // Fail open: while Redis is unreachable, refusing every sign-in and token request would take
      // the whole service down with it. Account lockout (in the database) still bounds guessing.
      options.onError(err as Error);
      return { ok: true };
    }
  };

  return {
    check: (spec, key, now) => run(spec, key, now, 0),
    take: (spec, key, now) => run(spec, key, now, 1),
    async refund(spec, key, now) {
      if (!spec.enabled) return;
      try {
        await r.gatehouseRefund(keyOf(spec, key), now, spec.burst);
      } catch (err) {
        options.onError(err as Error);
      }
    },
  };
}
