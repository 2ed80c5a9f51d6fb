// Scheduled account deletion in the admin API (Authgear's scheduleAccountDeletion /
// unscheduleAccountDeletion mutations): see it, schedule it (the grace period of
// account_deletion.grace_period_days starts now, the user is disabled and signed out everywhere),
// cancel it (the user is enabled again). The deletion itself is the sweeper's (settings-surface/account-deletion.ts).
import { z } from "zod";
import type { Context } from "../context.ts";
import { scheduleDeletion, unscheduleDeletion } from "../settings-surface/account-deletion.ts";
import type { AccountDeletionRow } from "../storage/settings-surface-ports.ts";
import { AdminError, notFound } from "./errors.ts";
import { mustGetUser } from "./operations.ts";
import type { AdminRoute } from "./route.ts";
import { clean } from "./schemas.ts";

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export const accountDeletionSchema = z.object({
  user_id: z.string(),
  delete_at: z.string().describe("ISO 8601: when the sweeper deletes the account"),
  scheduled_at: z.string().describe("ISO 8601"),
  scheduled_by: z.enum(["end_user", "admin"]),
  reason: z.string(),
}).meta({ id: "AccountDeletion" });

const scheduleBody = z.object({ reason: clean("text", z.string().max(500)).default("") }).strict();

const present = (d: AccountDeletionRow): z.infer<typeof accountDeletionSchema> => ({
  user_id: d.userId, delete_at: iso(d.deleteAt), scheduled_at: iso(d.scheduledAt), scheduled_by: d.byAdmin ? "admin" : "end_user", reason: d.reason,
});

async function scheduled(ctx: Context, userId: string): Promise<AccountDeletionRow> {
  await mustGetUser(ctx, userId);
  const d = await ctx.storage.accountDeletions.get(userId);
  if (!d) throw notFound("scheduled deletion");
  return d;
}

export const accountDeletionRoutes: AdminRoute[] = [
  { method: "GET", path: "/users/:id/deletion", summary: "A user's scheduled deletion (404 when none is scheduled)", response: accountDeletionSchema,
    handle: async (ctx, { params }) => present(await scheduled(ctx, params.id)) },
  { method: "POST", path: "/users/:id/deletion", summary: "Schedule a user's deletion after account_deletion.grace_period_days; the user is disabled and signed out now",
    body: scheduleBody, response: accountDeletionSchema, status: 201,
    handle: async (ctx, { actor, params, body }) => {
      await mustGetUser(ctx, params.id);
      const r = await scheduleDeletion(ctx, params.id, { byAdmin: true, actor: actor.id, reason: body.reason });
      if (!r.ok && r.reason === "hook_denied") {
        throw new AdminError("GH_ADMIN_INVALID_REQUEST", r.failed ? "a user.pre_schedule_deletion hook failed (see the server log)" : `refused by a user.pre_schedule_deletion hook: ${[r.title, r.message].filter(Boolean).join(": ") || "disallowed"}`);
      }
      if (!r.ok) throw r.reason === "not_found" ? notFound("user") : new AdminError("GH_ADMIN_CONFLICT", "the user's deletion is already scheduled");
      return present(r.deletion);
    } },
  { method: "DELETE", path: "/users/:id/deletion", summary: "Cancel a user's scheduled deletion; the user is enabled again", response: z.object({}),
    handle: async (ctx, { actor, params }) => {
      await scheduled(ctx, params.id);
      if (!(await unscheduleDeletion(ctx, params.id, { actor: actor.id }))) throw notFound("scheduled deletion");
      return {};
    } },
];
