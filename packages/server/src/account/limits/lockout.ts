// Account lockout arithmetic (pure), after Authgear's pkg/lib/lockout: failures are counted per
// account (and per contributing IP); from the max_attempts-th failure on, the account (or, with
// per_user_per_ip, that IP's access to it) is locked for
//   min(minimum_duration × backoff_factor^(failures − max_attempts), maximum_duration).
// Unlike Authgear, the history lives on for history_duration after the *lock* ends as well, so the
// backoff works even when history_duration is not longer than the lock (as with the defaults).
import type { LockoutRecord } from "../../domain/account.ts";

export interface LockoutPolicy {
  maxAttempts: number;
  historyDuration: number;
  minimumDuration: number;
  maximumDuration: number;
  backoffFactor: number;
  perUserPerIp: boolean;
}

const lockKey = (policy: LockoutPolicy, contributor: string): string => (policy.perUserPerIp ? contributor : "*");

// The records' maps are keyed by IP addresses, and with trust_proxy an IP is whatever the client put
// in X-Forwarded-For ("__proto__", "constructor"...): read own properties only, and build new maps
// with Object.fromEntries (which defines properties rather than assigning them).
const own = (map: Record<string, number>, key: string): number | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);
const liveLocks = (record: LockoutRecord | null, now: number): [string, number][] =>
  Object.entries(record?.lockedUntil ?? {}).filter(([, until]) => until > now);

/** When the lock on this account (for this contributor) ends, or null if it is not locked now. */
export function lockedUntil(record: LockoutRecord | null, policy: LockoutPolicy, contributor: string, now: number): number | null {
  const until = record ? own(record.lockedUntil, lockKey(policy, contributor)) : undefined;
  return until !== undefined && until > now ? until : null;
}

export function lockDuration(policy: LockoutPolicy, failures: number): number {
  if (failures < policy.maxAttempts) return 0;
  const d = policy.minimumDuration * Math.pow(policy.backoffFactor, failures - policy.maxAttempts);
  return Math.min(Math.round(d), policy.maximumDuration);
}

/** The record after one more failure. A failure while locked is not counted (it was never tried). */
export function addFailure(record: LockoutRecord | null, policy: LockoutPolicy, contributor: string, now: number): LockoutRecord {
  if (record && lockedUntil(record, policy, contributor, now) !== null) return record;
  const live = record && record.expiresAt > now ? record : null;
  const counts = new Map(Object.entries(live?.byContributor ?? {}));
  counts.set(contributor, (counts.get(contributor) ?? 0) + 1);
  const locks = new Map(liveLocks(record, now));
  const total = (live?.total ?? 0) + 1;
  const duration = lockDuration(policy, policy.perUserPerIp ? counts.get(contributor)! : total);
  let expiresAt = now + policy.historyDuration;
  if (duration > 0) {
    locks.set(lockKey(policy, contributor), now + duration);
    expiresAt = now + duration + policy.historyDuration;
  }
  return { total, byContributor: Object.fromEntries(counts), lockedUntil: Object.fromEntries(locks), expiresAt };
}

/** One attempt, reserved before it is checked: refused if locked, else counted as a failure up front. */
export interface Reservation {
  /** The record to store. */
  record: LockoutRecord | null;
  /** Set when the attempt is refused: the lock it met. */
  lockedUntil: number | null;
  /** The lock this attempt's own failure set (the max_attempts-th attempt is still checked). */
  setLock: { key: string; until: number } | null;
}

/**
 * Counting the failure *before* the (slow) check is what stops parallel guesses: with the count
 * taken after the check, every request that arrives while the first ones are hashing passes the
 * lock test (Keycloak's CVE-2024-4629). Run it inside the store's atomic update.
 */
export function reserveAttempt(record: LockoutRecord | null, policy: LockoutPolicy, contributor: string, now: number): Reservation {
  const until = lockedUntil(record, policy, contributor, now);
  if (until !== null) return { record, lockedUntil: until, setLock: null };
  const next = addFailure(record, policy, contributor, now);
  const key = lockKey(policy, contributor);
  const set = lockedUntil(next, policy, contributor, now);
  return { record: next, lockedUntil: null, setLock: set !== null ? { key, until: set } : null };
}

/**
 * After a success: this contributor's failures are forgiven (Authgear's Clear), the reserved one
 * included; live locks stay, except one this very attempt set (a right password on the last
 * allowed attempt must not lock its owner out).
 */
export function clearContributor(record: LockoutRecord | null, contributor: string, now: number, ownLock: Reservation["setLock"] = null): LockoutRecord | null {
  if (!record) return null;
  const mine = own(record.byContributor, contributor) ?? 0;
  const byContributor = Object.fromEntries(Object.entries(record.byContributor).filter(([c]) => c !== contributor));
  const locks = liveLocks(record, now).filter(([key, until]) => !(ownLock && key === ownLock.key && until === ownLock.until));
  const total = Math.max(0, record.total - mine);
  if (total === 0 && locks.length === 0) return null;
  return { ...record, total, byContributor, lockedUntil: Object.fromEntries(locks) };
}
