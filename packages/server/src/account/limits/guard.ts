// Every credential check (password, TOTP, recovery code) goes through here: rate limits per IP and
// per account+IP, then the account lockout, then the check itself. Failures cost tokens and count
// towards the lockout; successes forgive this IP's failures. The lockout key is derived from the
// email, so unknown emails lock exactly like real ones and the answers never tell them apart.
import type { Context } from "../../context.ts";
import type { Config } from "../../config/schema.ts";
import { sha256 } from "../../crypto/secrets.ts";
import { normalizeEmail } from "../../storage/rows.ts";
import { accountLimits } from "./buckets.ts";
import { addFailure, clearContributor, lockedUntil, type LockoutPolicy } from "./lockout.ts";

export type Guarded<T> =
  | { kind: "ok"; value: T }
  | { kind: "invalid" }
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

export async function guardCredential<T>(ctx: Context, who: { email: string; ip: string }, check: () => Promise<T | null>): Promise<Guarded<T>> {
  const now = ctx.now();
  const limits = accountLimits(ctx.config);
  const key = lockoutKey(who.email);
  const policy = lockoutPolicy(ctx.config);
  const buckets = [
    { spec: limits.credentialPerIp, key: who.ip },
    { spec: limits.credentialPerUserPerIp, key: `${key}|${who.ip}` },
  ];
  for (const b of buckets) {
    const r = await ctx.rateLimiter.check(b.spec, b.key, now);
    if (!r.ok) return { kind: "rate_limited", retryAfter: r.retryAfter };
  }
  const until = lockedUntil(await ctx.storage.lockouts.get(key), policy, who.ip, now);
  if (until !== null) return { kind: "locked", until };

  const value = await check();
  if (value === null) {
    for (const b of buckets) await ctx.rateLimiter.take(b.spec, b.key, now);
    await ctx.storage.lockouts.update(key, (record) => addFailure(record, policy, who.ip, now));
    return { kind: "invalid" };
  }
  if (await ctx.storage.lockouts.get(key)) await ctx.storage.lockouts.update(key, (record) => clearContributor(record, who.ip, now));
  return { kind: "ok", value };
}
