// Codes and login links sent by email or SMS: made, sent, checked, approved. A code is 6 digits
// from a CSPRNG (account/codes.ts), stored only as SHA-256, bound to the pending login that asked
// for it, valid 5 minutes, single use, and dead after max_failed_attempts_revoke_otp wrong guesses
// (counted before the compare, so parallel guesses cannot outrun it). Sending never looks the
// target up: the answer is the same whether the address or number has an account.
import type { Context } from "../../context.ts";
import { randomToken, safeEqual, sha256 } from "../../crypto/secrets.ts";
import type { OobChannel } from "../../storage/oob-ports.ts";
import { CODE_PATTERN, cleanCode, newNumericCode } from "../codes.ts";
import type { Translate } from "../messages/index.ts";
import { queueEmail } from "../messaging/send.ts";
import { smsFor } from "../../messaging/sms/queue.ts";
import { oobLimits } from "./limits.ts";
import { oobCodeEmail, oobCodeSms, oobLinkEmail } from "./messages.ts";

export const OOB_CODE_LIFETIME_SECONDS = 300;
export const LINK_PATH = "/login/link";

/** login: proving a target to sign in (first or second factor); setup: adding it as a second factor. */
export type OobPurpose = "login" | "setup";

export const codeKey = (purpose: OobPurpose, channel: OobChannel, target: string): string => sha256(`oob:${purpose}:${channel}:${target}`);

export type SendResult = { kind: "sent" } | { kind: "cooldown"; seconds: number } | { kind: "rate_limited"; retryAfter: number };
export type CheckResult = "ok" | "invalid" | "too_many" | "rate_limited";

export interface SendRequest {
  purpose: OobPurpose;
  channel: OobChannel;
  /** Normalised email or E.164 number. */
  target: string;
  pendingId: string;
  /** login_link sends a link to open instead of a code to type (email only). */
  link: boolean;
  ip: string;
  t: Translate;
}

/** Seconds until another code may go to this target (trigger_cooldown); 0: now. */
export async function cooldownLeft(ctx: Context, purpose: OobPurpose, channel: OobChannel, target: string): Promise<number> {
  const last = await ctx.storage.oobCodes.get(codeKey(purpose, channel, target));
  return last ? Math.max(0, last.createdAt + oobLimits(ctx.config, channel).cooldown - ctx.now()) : 0;
}

export async function sendOob(ctx: Context, r: SendRequest): Promise<SendResult> {
  const limits = oobLimits(ctx.config, r.channel);
  const wait = await cooldownLeft(ctx, r.purpose, r.channel, r.target);
  if (wait > 0) return { kind: "cooldown", seconds: wait };
  const now = ctx.now();
  const perIp = await ctx.rateLimiter.take(limits.triggerPerIp, r.ip, now);
  if (!perIp.ok) return { kind: "rate_limited", retryAfter: perIp.retryAfter };
  const perTarget = await ctx.rateLimiter.take(limits.triggerPerTarget, sha256(`${r.channel}:${r.target}`), now);
  if (!perTarget.ok) {
    await ctx.rateLimiter.refund(limits.triggerPerIp, r.ip, now);
    return { kind: "rate_limited", retryAfter: perTarget.retryAfter };
  }
  const code = newNumericCode();
  const token = r.link ? randomToken() : null;
  await ctx.storage.oobCodes.put({
    key: codeKey(r.purpose, r.channel, r.target), pendingId: r.pendingId, codeHash: sha256(code), linkTokenHash: token ? sha256(token) : null,
    approvedAt: null, failedAttempts: 0, createdAt: now, expiresAt: now + OOB_CODE_LIFETIME_SECONDS, consumedAt: null,
  });
  if (r.channel === "sms") {
    smsFor(ctx).queue({ to: r.target, body: oobCodeSms(r.t, code, new URL(ctx.issuer).host) });
  } else if (token) {
    queueEmail(ctx, oobLinkEmail(r.t, r.target, `${ctx.issuer}${LINK_PATH}?token=${encodeURIComponent(token)}`), { ip: r.ip });
  } else {
    queueEmail(ctx, oobCodeEmail(r.t, r.target, code), { ip: r.ip });
  }
  return { kind: "sent" };
}

/** Checks a typed code for `pendingId`'s login; a right one is spent at once. */
export async function checkOob(ctx: Context, o: { purpose: OobPurpose; channel: OobChannel; target: string; pendingId: string; input: string; ip: string }): Promise<CheckResult> {
  const limits = oobLimits(ctx.config, o.channel);
  const now = ctx.now();
  if (!(await ctx.rateLimiter.take(limits.validatePerIp, o.ip, now)).ok) return "rate_limited";
  const key = codeKey(o.purpose, o.channel, o.target);
  const row = await ctx.storage.oobCodes.reserveAttempt(key, { cap: limits.maxFailures, at: now });
  if (!row) {
    const last = await ctx.storage.oobCodes.get(key);
    const live = last !== null && last.consumedAt === null && last.expiresAt > now;
    return live && last.failedAttempts >= limits.maxFailures ? "too_many" : "invalid";
  }
  const code = cleanCode(o.input);
  // Compared in constant time; a code sent for another browser's login proves nothing here.
  const right = CODE_PATTERN.test(code) && safeEqual(row.codeHash, sha256(code)) && row.pendingId === o.pendingId;
  if (!right) return row.failedAttempts >= limits.maxFailures ? "too_many" : "invalid";
  return (await ctx.storage.oobCodes.consume(key, { expectedHash: row.codeHash, at: now })) ? "ok" : "invalid";
}

/** The emailed link was opened and confirmed: the waiting login may go on. False: unknown, used or expired. */
export async function approveLink(ctx: Context, token: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
  return (await ctx.storage.oobCodes.approveLink(sha256(token), ctx.now())) !== null;
}

/** Spends the link-approved code of this target for `pendingId`'s login; false while not approved. */
export async function useApprovedLink(ctx: Context, o: { purpose: OobPurpose; target: string; pendingId: string }): Promise<boolean> {
  return ctx.storage.oobCodes.consumeApproved(codeKey(o.purpose, "email", o.target), { pendingId: o.pendingId, at: ctx.now() });
}

/** Authgear's amr for a code by email ("otp") or by SMS ("otp", "sms"). */
export const oobAmr = (channel: OobChannel): string[] => (channel === "sms" ? ["otp", "sms"] : ["otp"]);
