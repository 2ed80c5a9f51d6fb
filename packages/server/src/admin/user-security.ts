// An operator's help for a user who cannot get in: see and clear the account lockout, and remove
// TOTP and recovery codes ("I lost my phone"). Neither ends a session or changes anything else;
// both are recorded in the audit log.
import type { Context } from "../context.ts";
import type { LockoutRecord } from "../domain/account.ts";
import { lockoutKey } from "../account/limits/guard.ts";
import { recordUserEvent, USER_EVENTS } from "../audit/events.ts";
import { audit, mustGetUser, type Actor } from "./operations.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();

/** The latest live lock of the record (any IP's), or null. */
function lockedUntil(record: LockoutRecord | null, now: number): number | null {
  const live = Object.values(record?.lockedUntil ?? {}).filter((until) => until > now);
  return live.length ? Math.max(...live) : null;
}

export async function adminUserSecurity(ctx: Context, userId: string) {
  const user = await mustGetUser(ctx, userId);
  let record: LockoutRecord | null = null;
  // The lockout port offers only its atomic update; returning the record unchanged reads it.
  if (user.email) await ctx.storage.lockouts.update(lockoutKey(user.email), (r) => (record = r));
  const totp = await ctx.storage.totp.get(user.id);
  const now = ctx.now();
  const until = lockedUntil(record, now);
  const live = record !== null && (record as LockoutRecord).expiresAt > now ? (record as LockoutRecord) : null;
  return {
    locked_until: until === null ? null : iso(until),
    failed_attempts: live?.total ?? 0,
    totp_enabled: totp?.confirmedAt != null,
    recovery_codes_remaining: await ctx.storage.recoveryCodes.countUnused(user.id),
  };
}

/** Forgets the user's failed attempts and lifts every lock on the account. */
export async function adminResetLockout(ctx: Context, actor: Actor, userId: string) {
  const user = await mustGetUser(ctx, userId);
  let was: number | null = null;
  if (user.email) {
    await ctx.storage.lockouts.update(lockoutKey(user.email), (r) => {
      was = lockedUntil(r, ctx.now());
      return null;
    });
  }
  await audit(ctx, actor, "user.reset_lockout", "user", user.id, { email: user.email, was_locked: was !== null });
  return adminUserSecurity(ctx, user.id);
}

/** Removes TOTP and every recovery code; sessions, password and everything else stay. */
export async function adminRemoveMfa(ctx: Context, actor: Actor, userId: string) {
  const user = await mustGetUser(ctx, userId);
  const codes = await ctx.storage.recoveryCodes.countUnused(user.id);
  const totp = await ctx.storage.totp.delete(user.id);
  await ctx.storage.recoveryCodes.deleteAll(user.id);
  await recordUserEvent(ctx, USER_EVENTS.mfaRemoved, user, { totp_removed: totp, recovery_codes_removed: codes }, actor.id);
  return adminUserSecurity(ctx, user.id);
}
