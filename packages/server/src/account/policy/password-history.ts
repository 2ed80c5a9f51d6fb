// Authgear's history_size / history_days: a new password may not be one the user had among their
// last `history_size` passwords, nor one set since the start of the day `history_days` days ago
// (Authgear counts whole days). The current password is in the history too (each one is recorded
// when it is set), so "change it to the same" is refused. Hashes are kept only while the policy
// asks for them, and pruned to its window whenever one is added.
import type { Context } from "../../context.ts";
import type { PasswordPolicy } from "./password-policy.ts";

const DAY = 86_400;

export const historyEnabled = (policy: PasswordPolicy): boolean => policy.history_size > 0 || policy.history_days > 0;

function windowOf(policy: PasswordPolicy, now: number): { size: number; since: number } {
  const startOfToday = Math.floor(now / DAY) * DAY;
  // history_days 0: no time window (nothing is "since" the far future).
  return { size: policy.history_size, since: policy.history_days > 0 ? startOfToday - policy.history_days * DAY : Number.MAX_SAFE_INTEGER };
}

/** Was this password one of the user's recent ones? Costs one hash check per remembered password. */
export async function isReusedPassword(ctx: Context, userId: string, password: string): Promise<boolean> {
  const policy = ctx.config.authentication.password_policy;
  if (!historyEnabled(policy)) return false;
  for (const hash of await ctx.storage.passwordHistory.recent(userId, windowOf(policy, ctx.now()))) {
    if (await ctx.passwords.verify(hash, password)) return true;
  }
  return false;
}

/** Remembers the hash just set (when the policy keeps a history) and forgets what fell out of the window. */
export async function rememberPassword(ctx: Context, userId: string, hash: string): Promise<void> {
  const policy = ctx.config.authentication.password_policy;
  if (!historyEnabled(policy)) return;
  const now = ctx.now();
  await ctx.storage.passwordHistory.add(userId, hash, now);
  await ctx.storage.passwordHistory.prune(userId, windowOf(policy, now));
}
