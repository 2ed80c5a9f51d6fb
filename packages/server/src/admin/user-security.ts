// An operator's help for a user who cannot get in: see and clear the account lockout, and remove
// TOTP and recovery codes ("I lost my phone"). Neither ends a session or changes anything else;
// both are recorded in the audit log.
import { emitUserEvent } from "../hooks/user-hooks.ts";
import type { Context } from "../context.ts";
import type { LockoutRecord } from "../domain/account.ts";
import { lockoutKey } from "../account/limits/guard.ts";
import { recordUserEvent, USER_EVENTS } from "../audit/events.ts";
import { audit, mustGetUser, type Actor } from "./operations.ts";
import { lockKeysOf } from "../identity/service.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();

/** The latest live lock of the record (any IP's), or null. */
function lockedUntil(record: LockoutRecord | null, now: number): number | null {
  const live = Object.values(record?.lockedUntil ?? {}).filter((until) => until > now);
  return live.length ? Math.max(...live) : null;
}

export async function adminUserSecurity(ctx: Context, userId: string) {
  const user = await mustGetUser(ctx, userId);
  const now = ctx.now();
  let until: number | null = null;
  let failed = 0;
  // The lockout port offers only its atomic update; returning the record unchanged reads it.
  // An account's failures may sit under each of its login IDs (identity/service.ts lockKeysOf).
  for (const key of await lockKeysOf(ctx, user)) {
    let record: LockoutRecord | null = null;
    await ctx.storage.lockouts.update(lockoutKey(key), (r) => (record = r));
    const lock = lockedUntil(record, now);
    if (lock !== null) until = Math.max(until ?? 0, lock);
    const live = record !== null && (record as LockoutRecord).expiresAt > now ? (record as LockoutRecord) : null;
    failed += live?.total ?? 0;
  }
  const totp = await ctx.storage.totp.get(user.id);
  return {
    locked_until: until === null ? null : iso(until),
    failed_attempts: failed,
    totp_enabled: totp?.confirmedAt != null,
    recovery_codes_remaining: await ctx.storage.recoveryCodes.countUnused(user.id),
  };
}

/** Forgets the user's failed attempts and lifts every lock on the account. */
export async function adminResetLockout(ctx: Context, actor: Actor, userId: string) {
  const user = await mustGetUser(ctx, userId);
  let was: number | null = null;
  for (const key of await lockKeysOf(ctx, user)) {
    await ctx.storage.lockouts.update(lockoutKey(key), (r) => {
      was ??= lockedUntil(r, ctx.now());
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
  const totp = await ctx.storage.atomic(async () => {
    const removed = await ctx.storage.totp.delete(user.id);
    await ctx.storage.recoveryCodes.deleteAll(user.id);
    if (removed) await emitUserEvent(ctx, "authenticator.totp.removed", user, { triggeredBy: "admin_api" });
    return removed;
  });
  await recordUserEvent(ctx, USER_EVENTS.mfaRemoved, user, { totp_removed: totp, recovery_codes_removed: codes }, actor.id);
  return adminUserSecurity(ctx, user.id);
}
