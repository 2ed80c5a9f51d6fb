// Periodic clean-up of expired account state (called by the app's sweep timer).
import type { Context } from "../context.ts";

export async function sweepAccountState(ctx: Context): Promise<void> {
  const before = ctx.now() - 3600;
  await ctx.storage.oneTimeCodes.deleteExpired(before);
  await ctx.storage.pendingLogins.deleteExpired(before);
  await ctx.storage.lockouts.deleteExpired(ctx.now());
}
