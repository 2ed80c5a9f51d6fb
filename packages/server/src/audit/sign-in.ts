// Sign-in attempts in the audit log: failures by factor, and the failure that locked the account.
// Successes are recorded once the whole login completes (account/login/complete.ts).
import type { Context } from "../context.ts";
import type { Guarded } from "../account/limits/guard.ts";
import { recordUserEvent, USER_EVENTS } from "./events.ts";

export type Factor = "password" | "totp" | "recovery_code";

const FAILED = { password: USER_EVENTS.passwordFailed, totp: USER_EVENTS.totpFailed, recovery_code: USER_EVENTS.recoveryCodeFailed } as const;

/** Records a failed check (and the lock it started); successes, rate limits and already-locked refusals write nothing. */
export async function auditCredentialCheck(ctx: Context, who: { email: string; ip: string }, factor: Factor, result: Guarded<unknown>): Promise<void> {
  if (result.kind !== "invalid") return;
  const user = await ctx.storage.users.findByEmail(who.email);
  if (!user) {
    await recordUserEvent(ctx, USER_EVENTS.unknownLoginId, null, { email: who.email.slice(0, 254), ip: who.ip });
    return;
  }
  await recordUserEvent(ctx, FAILED[factor], user, { ip: who.ip });
  if (result.lockedUntil !== undefined) {
    await recordUserEvent(ctx, USER_EVENTS.lockedOut, user, { ip: who.ip, reason: "account_locked", locked_until: new Date(result.lockedUntil * 1000).toISOString() });
  }
}
