// What the sign-in counter (gatehouse_sign_ins_total) counts: a completed login (every factor
// done, a session made) is "succeeded"; each refused credential on the way (password, TOTP,
// recovery code) is "failed", and each attempt turned away by the lockout or the rate limits is
// "locked_out". A login with two factors thus counts once when it succeeds.
import type { Context } from "../../context.ts";
import type { Guarded } from "../limits/guard.ts";

/** Counts a refused sign-in credential check; successes are counted by completeLogin. */
export function countRefusedSignIn(ctx: Pick<Context, "metrics">, result: Guarded<unknown>): void {
  if (result.kind === "invalid") ctx.metrics.signIn("failed");
  else if (result.kind === "locked" || result.kind === "rate_limited") ctx.metrics.signIn("locked_out");
}
