// The operators' one-shot commands: admin keys, a user's lockout and second factors, the audit log.
// They call the same functions as the admin API (admin/*), and answer in words. The command table
// (commands.ts) parses and checks flags and arguments and opens the context; these do the work.
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import { isUserId } from "../input/ids.ts";
import { AdminError } from "../admin/errors.ts";
import { presentAdminKey, revokeAdminKey } from "../admin/keys.ts";
import { adminRemoveMfa, adminResetLockout } from "../admin/user-security.ts";
import { listAuditLog } from "../admin/audit-view.ts";

const ACTOR = { id: "cli" };

async function findUser(ctx: Context, ref: string): Promise<User | null> {
  return isUserId(ref) ? ctx.storage.users.get(ref) : ctx.storage.users.findByEmail(ref);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n") + "\n";
}

const when = (iso: string | null): string => (iso === null ? "never" : iso.replace("T", " ").replace(/\.\d+Z$/, "Z"));

/** An admin-API refusal (no such key, ambiguous name) is said in its own words: exit 1. */
async function inWords(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AdminError)) throw err;
    console.error(err.detail);
    return 1;
  }
}

async function userOr1(ctx: Context, ref: string, use: (user: User) => Promise<number>): Promise<number> {
  const user = await findUser(ctx, ref);
  if (!user) {
    console.error(`no user ${ref}`);
    return 1;
  }
  return use(user);
}

export async function listAdminKeys(ctx: Context): Promise<number> {
  const keys = (await ctx.storage.adminKeys.list()).map(presentAdminKey);
  if (keys.length === 0) {
    console.log("no admin keys; create one with `gatehouse admin-keys create --name NAME`");
    return 0;
  }
  process.stdout.write(table([["ID", "NAME", "CREATED", "LAST USED", "STATUS"],
    ...keys.map((k) => [k.id, k.name, when(k.created_at), when(k.last_used_at), k.revoked_at ? `revoked ${when(k.revoked_at)}` : "active"])]));
  return 0;
}

export const revokeKey = (ctx: Context, ref: string): Promise<number> => inWords(async () => {
  const key = await revokeAdminKey(ctx, ACTOR.id, ref);
  console.log(`revoked admin key "${key.name}" (${key.id}); it stops working now`);
  return 0;
});

export const resetLockout = (ctx: Context, ref: string): Promise<number> => inWords(() => userOr1(ctx, ref, async (user) => {
  const after = await adminResetLockout(ctx, ACTOR, user.id);
  console.log(`cleared the lockout of ${user.email ?? user.id}${after.locked_until ? "" : "; they can sign in again"}`);
  return 0;
}));

export const removeMfa = (ctx: Context, ref: string): Promise<number> => inWords(() => userOr1(ctx, ref, async (user) => {
  const before = await ctx.storage.recoveryCodes.countUnused(user.id);
  await adminRemoveMfa(ctx, ACTOR, user.id);
  console.log(`removed TOTP and ${before} recovery code${before === 1 ? "" : "s"} of ${user.email ?? user.id}; they sign in with their password alone until they set up TOTP again`);
  return 0;
}));

/** `limit`: 1 to 200 entries (checked by the caller, before the context is opened). */
export const showAuditLog = (ctx: Context, o: { user?: string; action?: string; limit: number }): Promise<number> => inWords(async () => {
  const user = o.user ? await findUser(ctx, o.user) : null;
  if (o.user && !user) {
    console.error(`no user ${o.user}`);
    return 1;
  }
  const page = await listAuditLog(ctx, { limit: o.limit, user_id: user?.id, action: o.action });
  if (page.items.length === 0) {
    console.log("no entries");
    return 0;
  }
  process.stdout.write(table([["WHEN", "WHO", "WHAT", "ABOUT"], ...page.items.map((e) => [when(e.at), e.actor_name, e.action, e.target_name])]));
  return 0;
});
