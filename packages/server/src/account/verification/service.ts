// Email verification by a 6-digit code: 5 minutes, 5 wrong guesses, a new code at most once a
// minute. Verifying sets User.isVerified, which tokens, userinfo and the resolver read.
import type { Context } from "../../context.ts";
import { safeEqual, sha256 } from "../../crypto/secrets.ts";
import { announceUserChanged } from "../../session/revocation.ts";
import { normalizeEmail } from "../../storage/rows.ts";
import { CODE_PATTERN, MAX_CODE_FAILURES, cleanCode, newNumericCode } from "../codes.ts";
import { RESEND_COOLDOWN_SECONDS } from "../limits/buckets.ts";
import type { Translate } from "../messages/index.ts";
import { verificationEmail } from "../messaging/emails.ts";
import { queueEmail } from "../messaging/send.ts";

export const VERIFICATION_CODE_LIFETIME_SECONDS = 300;

export type SendResult = { kind: "sent" } | { kind: "cooldown"; seconds: number };
export type CheckResult = "verified" | "invalid" | "too_many";

/** Seconds until another code may be sent to this user (0: now). */
export async function verificationCooldown(ctx: Context, userId: string): Promise<number> {
  const last = await ctx.storage.oneTimeCodes.get("verify_email", userId);
  return last ? Math.max(0, last.createdAt + RESEND_COOLDOWN_SECONDS - ctx.now()) : 0;
}

/** `t` is the language of the page (and so of the flow) that asked for the code: the email is in it too. */
export async function sendVerificationCode(ctx: Context, user: { id: string; email: string }, options: { ip: string; t: Translate }): Promise<SendResult> {
  const wait = await verificationCooldown(ctx, user.id);
  if (wait > 0) return { kind: "cooldown", seconds: wait };
  const now = ctx.now();
  const code = newNumericCode();
  await ctx.storage.oneTimeCodes.put({
    purpose: "verify_email", userId: user.id, target: normalizeEmail(user.email), codeHash: sha256(code), linkTokenHash: null,
    failedAttempts: 0, createdAt: now, expiresAt: now + VERIFICATION_CODE_LIFETIME_SECONDS, consumedAt: null,
  });
  queueEmail(ctx, verificationEmail(options.t, user.email, code), { ip: options.ip });
  return { kind: "sent" };
}

export async function checkVerificationCode(ctx: Context, user: { id: string; email: string }, input: string): Promise<CheckResult> {
  const code = cleanCode(input);
  const now = ctx.now();
  // The guess is counted before it is compared (see reserveAttempt): parallel guesses cannot
  // outrun the cap. A right code is spent below, so its count no longer matters.
  const row = await ctx.storage.oneTimeCodes.reserveAttempt("verify_email", user.id, { cap: MAX_CODE_FAILURES, at: now });
  if (!row) {
    const spent = await ctx.storage.oneTimeCodes.get("verify_email", user.id);
    const live = spent !== null && spent.codeHash !== null && spent.consumedAt === null && spent.expiresAt > now;
    return live && spent.failedAttempts >= MAX_CODE_FAILURES ? "too_many" : "invalid";
  }
  if (row.codeHash === null) return "invalid";
  // The code proves the address it was sent to; if the account's email changed since, it proves nothing.
  if (!CODE_PATTERN.test(code) || !safeEqual(row.codeHash, sha256(code)) || row.target !== normalizeEmail(user.email)) {
    return row.failedAttempts >= MAX_CODE_FAILURES ? "too_many" : "invalid";
  }
  if (!(await ctx.storage.oneTimeCodes.consume("verify_email", user.id, { expectedHash: row.codeHash, at: now }))) return "invalid";
  await ctx.storage.users.update(user.id, { isVerified: true }, now);
  await announceUserChanged(ctx, user.id);
  return "verified";
}
