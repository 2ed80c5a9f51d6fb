// The operators' one-shot commands: admin keys, a user's lockout and second factors, the audit log.
// They call the same functions as the admin API (admin/*), and answer in words.
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import { isUserId } from "../input/ids.ts";
import { AdminError } from "../admin/errors.ts";
import { presentAdminKey, revokeAdminKey } from "../admin/keys.ts";
import { adminRemoveMfa, adminResetLockout } from "../admin/user-security.ts";
import { listAuditLog } from "../admin/audit-view.ts";

export const OPERATOR_USAGE = `  gatehouse admin-keys list --config FILE   (name, created, last used, revoked)
  gatehouse admin-keys revoke <id-or-name> --config FILE   (the key stops working at once)
  gatehouse users reset-lockout <email-or-id> --config FILE   (clears failed sign-ins and the lockout)
  gatehouse users remove-mfa <email-or-id> --config FILE   (removes TOTP and recovery codes; ends nothing else)
  gatehouse audit-log --config FILE [--user EMAIL-OR-ID] [--action TYPE] [--limit N]   (newest first)`;

const ACTOR = { id: "cli" };

type Open = () => Promise<Context>;

async function findUser(ctx: Context, ref: string): Promise<User | null> {
  return isUserId(ref) ? ctx.storage.users.get(ref) : ctx.storage.users.findByEmail(ref);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n") + "\n";
}

const when = (iso: string | null): string => (iso === null ? "never" : iso.replace("T", " ").replace(/\.\d+Z$/, "Z"));

/**
 * Runs an operator command if `words` names one: the exit code, or null when it is not one of
 * these (the caller goes on with its own commands).
 */
export async function runOperatorCommand(words: string[], values: { user?: string; action?: string; limit?: string }, open: Open): Promise<number | null> {
  const [group, verb, arg, ...extra] = words;
  const known = (group === "admin-keys" && (verb === "list" || verb === "revoke")) || (group === "users" && (verb === "reset-lockout" || verb === "remove-mfa")) || group === "audit-log";
  if (!known) return null;
  const needsArg = verb === "revoke" || verb === "reset-lockout" || verb === "remove-mfa";
  const args = group === "audit-log" ? [verb, arg] : [arg];
  if (needsArg && !arg) {
    console.error(`${group} ${verb} needs ${group === "users" ? "a user's email or id" : "a key's id or name"}`);
    return 2;
  }
  if (extra.length || (!needsArg && args.some((a) => a !== undefined))) {
    console.error(`unexpected argument: ${[...args, ...extra].filter((a) => a !== undefined).join(" ")}`);
    return 2;
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    console.error("--limit must be a whole number from 1 to 200");
    return 2;
  }
  const ctx = await open();
  try {
    if (group === "admin-keys" && verb === "list") {
      const keys = (await ctx.storage.adminKeys.list()).map(presentAdminKey);
      if (keys.length === 0) {
        console.log("no admin keys; create one with `gatehouse admin-keys create --name NAME`");
        return 0;
      }
      process.stdout.write(table([["ID", "NAME", "CREATED", "LAST USED", "STATUS"],
        ...keys.map((k) => [k.id, k.name, when(k.created_at), when(k.last_used_at), k.revoked_at ? `revoked ${when(k.revoked_at)}` : "active"])]));
      return 0;
    }
    if (group === "admin-keys") {
      const key = await revokeAdminKey(ctx, ACTOR.id, arg);
      console.log(`revoked admin key "${key.name}" (${key.id}); it stops working now`);
      return 0;
    }
    if (group === "audit-log") {
      const user = values.user ? await findUser(ctx, values.user) : null;
      if (values.user && !user) {
        console.error(`no user ${values.user}`);
        return 1;
      }
      const page = await listAuditLog(ctx, { limit, user_id: user?.id, action: values.action });
      if (page.items.length === 0) {
        console.log("no entries");
        return 0;
      }
      process.stdout.write(table([["WHEN", "WHO", "WHAT", "ABOUT"], ...page.items.map((e) => [when(e.at), e.actor_name, e.action, e.target_name])]));
      return 0;
    }
    const user = await findUser(ctx, arg);
    if (!user) {
      console.error(`no user ${arg}`);
      return 1;
    }
    if (verb === "reset-lockout") {
      const after = await adminResetLockout(ctx, ACTOR, user.id);
      console.log(`cleared the lockout of ${user.email ?? user.id}${after.locked_until ? "" : "; they can sign in again"}`);
      return 0;
    }
    const before = await ctx.storage.recoveryCodes.countUnused(user.id);
    await adminRemoveMfa(ctx, ACTOR, user.id);
    console.log(`removed TOTP and ${before} recovery code${before === 1 ? "" : "s"} of ${user.email ?? user.id}; they sign in with their password alone until they set up TOTP again`);
    return 0;
  } catch (err) {
    if (err instanceof AdminError) {
      console.error(err.detail);
      return 1;
    }
    throw err;
  } finally {
    await ctx.close();
  }
}
