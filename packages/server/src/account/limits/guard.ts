// Every credential check (password, TOTP, recovery code) goes through here: rate limits per IP and
// per account+IP, then the account lockout, then the check itself. The lockout key is derived from
// the email, so unknown emails lock exactly like real ones and the answers never tell them apart.
//
// The attempt is paid for *before* the check runs, atomically: a rate-limit token is taken and a
// failure is counted in the lockout record; a success gives both back (and forgives this IP's
// failures). Checking first and counting after lets every request that arrives while the first
// ones are still hashing pass (40 parallel guesses were all checked; Keycloak's CVE-2024-4629).
import type { Context } from "../../context.ts";
import type { Config } from "../../config/schema.ts";
import { sha256 } from "../../crypto/secrets.ts";
import { normalizeEmail } from "../../storage/rows.ts";
import { accountLimits } from "./buckets.ts";
import { clearContributor, reserveAttempt, type LockoutPolicy, type Reservation } from "./lockout.ts";
import type { RateLimitSpec } from "./rate-limiter.ts";

export type Guarded<T> =
  | { kind: "ok"; value: T }
  /** `lockedUntil`: this failure locked the account (or, per_user_per_ip, this IP's access to it). */
  | { kind: "invalid"; lockedUntil?: number }
  | { kind: "locked"; until: number }
  | { kind: "rate_limited"; retryAfter: number };

export function lockoutPolicy(config: Config): LockoutPolicy {
  const l = config.authentication.lockout;
  return {
    maxAttempts: l.max_attempts, historyDuration: l.history_duration_seconds, minimumDuration: l.minimum_duration_seconds,
    maximumDuration: l.maximum_duration_seconds, backoffFactor: l.backoff_factor, perUserPerIp: l.lockout_type === "per_user_per_ip",
  };
}

/** The lockout record key of an account, by its (normalised) email; hashed so the table holds no addresses. */
export const lockoutKey = (email: string): string => `login:${sha256(normalizeEmail(email))}`;

type Bucket = { spec: RateLimitSpec; key: string };

/** Takes a token from every bucket, or none: the ones taken are given back when a later one is empty. */
async function takeAll(ctx: Context, buckets: Bucket[], now: number): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  for (let i = 0; i < buckets.length; i++) {
    const r = await ctx.rateLimiter.take(buckets[i].spec, buckets[i].key, now);
    if (!r.ok) {
      await refundAll(ctx, buckets.slice(0, i), now);
      return r;
    }
  }
  return { ok: true };
}

async function refundAll(ctx: Context, buckets: Bucket[], now: number): Promise<void> {
  for (const b of buckets) await ctx.rateLimiter.refund(b.spec, b.key, now);
}

export async function guardCredential<T>(ctx: Context, who: { email: string; ip: string }, check: () => Promise<T | null>): Promise<Guarded<T>> {
  const now = ctx.now();
  const limits = accountLimits(ctx.config);
  const key = lockoutKey(who.email);
  const policy = lockoutPolicy(ctx.config);
  const buckets: Bucket[] = [
    { spec: limits.credentialPerIp, key: who.ip },
    { spec: limits.credentialPerUserPerIp, key: `${key}|${who.ip}` },
  ];
  const taken = await takeAll(ctx, buckets, now);
  if (!taken.ok) return { kind: "rate_limited", retryAfter: taken.retryAfter };

  let reservation: Reservation | undefined;
  await ctx.storage.lockouts.update(key, (record) => {
    reservation = reserveAttempt(record, policy, who.ip, now);
    return reservation.record;
  });
  const { lockedUntil, setLock } = reservation!;
  if (lockedUntil !== null) {
    // Refused without being tried: like a success, it costs no rate-limit token.
    await refundAll(ctx, buckets, now);
    return { kind: "locked", until: lockedUntil };
  }

  const value = await check();
  if (value === null) return setLock ? { kind: "invalid", lockedUntil: setLock.until } : { kind: "invalid" };
  await ctx.storage.lockouts.update(key, (record) => clearContributor(record, who.ip, ctx.now(), setLock));
  await refundAll(ctx, buckets, now);
  return { kind: "ok", value };
}
