// Scheduled account deletion (Authgear's userScheduleDeletion / UnscheduleDeletionByAdmin /
// DeleteFromScheduledDeletion): the user, from the app (settings action delete_account), or an
// operator schedules it; the account is disabled and every session and refresh token ends at once;
// after account_deletion.grace_period_days the sweeper deletes it for good, which the revocation
// feed announces as for any deleted user. An operator can cancel meanwhile: the account is enabled again.
import type { Context } from "../context.ts";
import { announceUserChanged, deleteUser, disableUser, revokeAllForUser } from "../session/revocation.ts";
import type { AccountDeletionRow } from "../storage/settings-surface-ports.ts";
import { emitUserEvent } from "../hooks/user-hooks.ts";
import { hasBlockingHandler, runBlocking } from "../hooks/blocking.ts";
import { hookLog } from "../hooks/log.ts";
import { userModel } from "../hooks/models.ts";

/** Authgear's audit/webhook event names. */
export const DELETION_EVENTS = { scheduled: "user.deletion_scheduled", unscheduled: "user.deletion_unscheduled", deleted: "user.deleted" } as const;

/** Deletions the sweeper carries out per pass: the rest wait for the next (each is a cascade). */
export const DELETIONS_PER_SWEEP = 100;

export type ScheduleResult =
  | { ok: true; deletion: AccountDeletionRow }
  | { ok: false; reason: "not_found" | "already_scheduled" }
  /** A user.pre_schedule_deletion hook said no (its title and reason), or failed. */
  | { ok: false; reason: "hook_denied"; title: string | null; message: string | null; failed: boolean };

export async function scheduleDeletion(ctx: Context, userId: string, o: { byAdmin: boolean; actor: string; reason?: string }): Promise<ScheduleResult> {
  const now = ctx.now();
  const row: AccountDeletionRow = {
    userId, scheduledAt: now, deleteAt: now + ctx.config.account_deletion.grace_period_days * 86400, byAdmin: o.byAdmin,
    reason: o.reason ?? (o.byAdmin ? "" : "end user request"),
  };
  const user = await ctx.storage.users.get(userId);
  if (user && hasBlockingHandler(ctx.config, "user.pre_schedule_deletion")) {
    const origin = { triggeredBy: o.byAdmin ? "admin_api" : "user" } as const;
    const r = await runBlocking({ config: ctx.config, log: hookLog(ctx.storage) }, "user.pre_schedule_deletion", { user: userModel(user, ctx.config.user_profile) }, origin, userId);
    if (!r.allowed) return { ok: false, reason: "hook_denied", title: r.title, message: r.reason, failed: r.failed };
  }
  // user.deletion_scheduled commits with the schedule (hooks/emit.ts), or neither does.
  const scheduled = await ctx.storage.atomic(async () => {
    const ok = await ctx.storage.accountDeletions.schedule(row);
    if (ok && user) await emitUserEvent(ctx, "user.deletion_scheduled", { ...user, disabled: true }, { triggeredBy: o.byAdmin ? "admin_api" : "user" });
    return ok;
  });
  if (!scheduled) {
    return { ok: false, reason: (await ctx.storage.users.get(userId)) ? "already_scheduled" : "not_found" };
  }
  // Disabled first (every token refused at once, on every node), then every session and grant ends,
  // so cancelling the deletion does not bring the old logins back.
  await disableUser(ctx, userId, null);
  await revokeAllForUser(ctx, userId);
  await ctx.storage.auditLog.append({ at: now, actor: o.actor, action: DELETION_EVENTS.scheduled, targetType: "user", targetId: userId, details: { delete_at: row.deleteAt, admin_api: o.byAdmin } });
  return { ok: true, deletion: row };
}

/** Cancels a scheduled deletion and enables the account; false if none was scheduled. */
export async function unscheduleDeletion(ctx: Context, userId: string, o: { actor: string }): Promise<boolean> {
  const user = await ctx.storage.users.get(userId);
  const unscheduled = await ctx.storage.atomic(async () => {
    const ok = await ctx.storage.accountDeletions.unschedule(userId);
    if (ok && user) await emitUserEvent(ctx, "user.deletion_unscheduled", { ...user, disabled: false, disabledReason: null }, { triggeredBy: "admin_api" });
    return ok;
  });
  if (!unscheduled) return false;
  await ctx.storage.users.update(userId, { disabled: false, disabledReason: null }, ctx.now());
  await announceUserChanged(ctx, userId);
  await ctx.storage.auditLog.append({ at: ctx.now(), actor: o.actor, action: DELETION_EVENTS.unscheduled, targetType: "user", targetId: userId, details: {} });
  return true;
}

/** Deletes the accounts whose time has come; returns how many went. */
export async function deleteDueAccounts(ctx: Context): Promise<number> {
  const due = await ctx.storage.accountDeletions.due(ctx.now(), DELETIONS_PER_SWEEP);
  let deleted = 0;
  for (const d of due) {
    const user = await ctx.storage.users.get(d.userId);
    // deleteUser ends every token and logs the user's deletion to the revocation feed; the schedule row goes with the user.
    if (!(await deleteUser(ctx, d.userId))) continue;
    deleted++;
    await ctx.storage.auditLog.append({ at: ctx.now(), actor: "system", action: DELETION_EVENTS.deleted, targetType: "user", targetId: d.userId, details: { scheduled_at: d.scheduledAt, email: user?.email ?? null } });
  }
  return deleted;
}
