// After a factor succeeds: finish the login, or move to the next step (TOTP, then email
// verification when it is required or the account was just created).
import type { FastifyReply, FastifyRequest } from "fastify";
import { clientInfo } from "../../http/client-info.ts";
import type { Context } from "../../context.ts";
import type { PendingLoginStage } from "../../domain/account.ts";
import { withEmail, type User } from "../../domain/user.ts";
import { accountLabel } from "../../identity/service.ts";
import { secondFactorPath } from "../oob-otp/second-factor.ts";
import { sendVerificationCode } from "../verification/service.ts";
import { seeOther, uiFor } from "../ui/respond.ts";
import { completeLogin } from "./complete.ts";
import { clearPending, startPending } from "./pending.ts";

export const STAGE_PATHS: Record<PendingLoginStage, string> = { totp: "/login/totp", verify: "/verify", oob: "/login/otp/code" };

/** Which step comes next for this user, or null when the login can finish. */
export async function nextStage(ctx: Context, user: User, done: { totp: boolean; justSignedUp: boolean; amr?: string[] }): Promise<PendingLoginStage | null> {
  // "totp" is the second-factor step, whichever factor it takes (oob-otp/second-factor.ts).
  if (!done.totp && (await secondFactorPath(ctx, user, done.amr ?? [])) !== null) return "totp";
  // No email, nothing to verify (a phone or username login ID).
  if (user.email !== null && !user.isVerified && (done.justSignedUp || ctx.config.verification.required)) return "verify";
  return null;
}

/**
 * Right after the password, a social sign-in (`amr` says which) or sign-up: start a pending login if
 * a step is left, else finish.
 */
export async function afterFirstFactor(
  ctx: Context, request: FastifyRequest, reply: FastifyReply,
  o: { user: User; flowId: string | null; justSignedUp: boolean; amr?: string[]; secondFactorDone?: boolean },
): Promise<FastifyReply> {
  const amr = o.amr ?? ["pwd"];
  // secondFactorDone: a factor that needs no second one (a passkey, as Authgear has it).
  const stage = await nextStage(ctx, o.user, { totp: o.secondFactorDone ?? false, justSignedUp: o.justSignedUp, amr });
  if (stage === null) return completeLogin(ctx, request, reply, o.user, amr, o.flowId);
  await startPending(ctx, reply, { userId: o.user.id, email: await accountLabel(ctx, o.user), flowId: o.flowId, stage, amr });
  const emailed = withEmail(o.user);
  if (stage === "verify" && emailed) await sendVerificationCode(ctx, emailed, { ip: clientInfo(request).ip, t: uiFor(ctx, request).t });
  return seeOther(ctx, reply, (stage === "totp" ? await secondFactorPath(ctx, o.user, amr) : null) ?? STAGE_PATHS[stage]);
}

/**
 * A pending step just succeeded: advance the server-side state (single use) or finish; `stale`
 * answers when the step was used already. (It is a callback rather than a null to test: a
 * FastifyReply is a thenable, so awaiting one that was sent gives undefined, and `?? stale()`
 * would then answer a second time.)
 */
export async function afterStep(
  ctx: Context, request: FastifyRequest, reply: FastifyReply,
  o: { pendingId: string; from: PendingLoginStage; user: User; amr: string[]; flowId: string | null; stale: () => FastifyReply },
): Promise<FastifyReply> {
  const stage = o.from === "totp" ? await nextStage(ctx, o.user, { totp: true, justSignedUp: false }) : null;
  // Compare-and-set on the stored stage: a second submit of the same step loses here.
  if (!(await ctx.storage.pendingLogins.advance(o.pendingId, o.from, stage ? { stage, amr: o.amr } : null, ctx.now()))) return o.stale();
  if (stage === null) {
    clearPending(ctx, reply);
    return completeLogin(ctx, request, reply, o.user, o.amr, o.flowId);
  }
  const emailed = withEmail(o.user);
  if (stage === "verify" && emailed) await sendVerificationCode(ctx, emailed, { ip: clientInfo(request).ip, t: uiFor(ctx, request).t });
  return seeOther(ctx, reply, STAGE_PATHS[stage]);
}
