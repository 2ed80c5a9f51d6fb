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

/** When the lock on this account (for this contributor) ends, or null if it is not locked now. */
export function lockedUntil(record: LockoutRecord | null, policy: LockoutPolicy, contributor: string, now: number): number | null {
  const until = record?.lockedUntil[lockKey(policy, contributor)];
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
  const next: LockoutRecord = {
    total: (live?.total ?? 0) + 1,
    byContributor: { ...(live?.byContributor ?? {}) },
    lockedUntil: Object.fromEntries(Object.entries(record?.lockedUntil ?? {}).filter(([, until]) => until > now)),
    expiresAt: now + policy.historyDuration,
  };
  next.byContributor[contributor] = (next.byContributor[contributor] ?? 0) + 1;
  const failures = policy.perUserPerIp ? next.byContributor[contributor] : next.total;
  const duration = lockDuration(policy, failures);
  if (duration > 0) {
    next.lockedUntil[lockKey(policy, contributor)] = now + duration;
    next.expiresAt = now + duration + policy.historyDuration;
  }
  return next;
}

/** After a success: this contributor's failures are forgiven (Authgear's Clear). */
export function clearContributor(record: LockoutRecord | null, contributor: string, now: number): LockoutRecord | null {
  if (!record) return null;
  const mine = record.byContributor[contributor] ?? 0;
  const byContributor = { ...record.byContributor };
  delete byContributor[contributor];
  const locks = Object.fromEntries(Object.entries(record.lockedUntil).filter(([, until]) => until > now));
  const total = Math.max(0, record.total - mine);
  if (total === 0 && Object.keys(locks).length === 0) return null;
  return { ...record, total, byContributor, lockedUntil: locks };
}
