// The `jti` replay cache (RFC 9449 §11.1): a proof is accepted once. In this process when no Redis
// is configured; in Redis (`redis.url`) otherwise, so a proof replayed to another node is refused too.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Context } from "../context.ts";
import { StorageUnavailableError } from "../storage/errors.ts";

export interface ReplayCache {
  /**
   * Records `key` until `expiresAt` (Unix seconds); true the first time, false when it was already
   * recorded and has not expired. Atomic: of two concurrent calls with one key, one gets true.
   */
  firstUse(key: string, expiresAt: number, now: number): Promise<boolean>;
}

/**
 * Bounded: expired entries are dropped when the map is full, then the oldest. Entries live a few
 * minutes, so the bound is only reached by more than maxEntries proofs within that window.
 */
export function createMemoryReplayCache(options: { maxEntries?: number } = {}): ReplayCache {
  const maxEntries = options.maxEntries ?? 200_000;
  const seen = new Map<string, number>();
  return {
    async firstUse(key, expiresAt, now) {
      const known = seen.get(key);
      if (known !== undefined && known > now) return false;
      if (seen.size >= maxEntries) {
        for (const [k, exp] of seen) if (exp <= now) seen.delete(k);
        while (seen.size >= maxEntries) seen.delete(seen.keys().next().value as string);
      }
      seen.set(key, expiresAt);
      return true;
    },
  };
}

/** SET NX EX: the first node to record a proof wins; Redis's expiry forgets it. */
export function createRedisReplayCache(redis: Redis, options: { prefix: string }): ReplayCache {
  return {
    async firstUse(key, expiresAt, now) {
      // Hashed: keys stay short whatever the client put in jti.
      const id = `${options.prefix}dpop:${createHash("sha256").update(key).digest("base64url")}`;
      let answer: string | null;
      try {
        answer = await redis.set(id, "1", "EX", Math.max(1, expiresAt - now), "NX");
      } catch (err) {
        // Fail closed: without the shared cache a replay on another node could not be told apart.
        throw new StorageUnavailableError(`dpop replay cache: ${(err as Error).message}`, { cause: err });
      }
      return answer === "OK";
    },
  };
}

// One cache per context, made on first use: the context itself stays as other features build it.
const caches = new WeakMap<Context, ReplayCache>();

export function replayCacheOf(ctx: Context): ReplayCache {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = ctx.redis ? createRedisReplayCache(ctx.redis, { prefix: ctx.config.redis.key_prefix }) : createMemoryReplayCache();
    caches.set(ctx, cache);
  }
  return cache;
}
