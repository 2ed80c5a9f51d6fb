// Superseded by maintenance/sweeper.ts (the one sweeper): kept only so the app's current timer keeps
// sweeping until it calls sweepExpired directly; delete this file then.
import type { Context } from "../context.ts";
import { sweepExpired } from "../maintenance/sweeper.ts";

/** @deprecated Call sweepExpired (maintenance/sweeper.ts). */
export async function sweepAccountState(ctx: Context): Promise<void> {
  await sweepExpired(ctx);
}
