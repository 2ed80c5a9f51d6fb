// Rate limits behind a small port, so a shared store (Redis) can replace the in-process one.
// Authgear's algorithm (docs/specs/rate-limit.md there): a bucket starts with `burst` tokens and is
// refilled completely `period` seconds after its first token was taken.
export interface RateLimitSpec {
  /** Authgear's name for the limit, e.g. `authentication.general.per_ip`; part of the bucket key. */
  name: string;
  enabled: boolean;
  burst: number;
  /** Seconds. */
  period: number;
}

export type RateLimitResult = { ok: true } | { ok: false; retryAfter: number };

export interface RateLimiter {
  /**
   * Is a token left? Takes nothing. Never use it to guard an operation (check, do, then take):
   * concurrent requests all pass the check before any takes. Take first, then `refund` if the
   * operation should not have cost a token (CVE-2024-4629 in Keycloak was that race).
   */
  check(spec: RateLimitSpec, key: string, now: number): Promise<RateLimitResult>;
  /** Takes a token if one is left (atomic: concurrent takes never hand out more than `burst`). */
  take(spec: RateLimitSpec, key: string, now: number): Promise<RateLimitResult>;
  /** Gives back a token taken earlier in this bucket's period (never more than `burst`). */
  refund(spec: RateLimitSpec, key: string, now: number): Promise<void>;
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

export function createMemoryRateLimiter(options: { maxBuckets?: number } = {}): RateLimiter {
  const maxBuckets = options.maxBuckets ?? 200_000;
  const buckets = new Map<string, Bucket>();

  const current = (spec: RateLimitSpec, key: string, now: number): Bucket | undefined => {
    const id = `${spec.name}\u0000${key}`;
    const b = buckets.get(id);
    if (b && b.resetAt <= now) {
      buckets.delete(id);
      return undefined;
    }
    return b;
  };

  /** Bounded memory: drop expired buckets, then the oldest, when the map is full. */
  const makeRoom = (now: number): void => {
    if (buckets.size < maxBuckets) return;
    for (const [id, b] of buckets) if (b.resetAt <= now) buckets.delete(id);
    while (buckets.size >= maxBuckets) buckets.delete(buckets.keys().next().value as string);
  };

  return {
    async check(spec, key, now) {
      if (!spec.enabled) return { ok: true };
      const b = current(spec, key, now);
      return !b || b.remaining > 0 ? { ok: true } : { ok: false, retryAfter: b.resetAt - now };
    },
    async take(spec, key, now) {
      if (!spec.enabled) return { ok: true };
      const b = current(spec, key, now);
      if (!b) {
        makeRoom(now);
        buckets.set(`${spec.name}\u0000${key}`, { remaining: spec.burst - 1, resetAt: now + spec.period });
        return { ok: true };
      }
      if (b.remaining <= 0) return { ok: false, retryAfter: b.resetAt - now };
      b.remaining -= 1;
      return { ok: true };
    },
    async refund(spec, key, now) {
      if (!spec.enabled) return;
      const b = current(spec, key, now);
      if (b) b.remaining = Math.min(spec.burst, b.remaining + 1);
    },
  };
}
