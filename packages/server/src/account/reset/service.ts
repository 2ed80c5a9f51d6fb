// Forgot / reset password: a 6-digit code and a single-use link, both in one email, both valid
// for 15 minutes. Asking never reveals whether the address has an account: the answer and the
// work done are the same, and the email leaves in the background.
import { withEmail } from "../../domain/user.ts";
import type { Context } from "../../context.ts";
import { randomToken, safeEqual, sha256 } from "../../crypto/secrets.ts";
import { announceUserChanged, resetPasswordEverywhere } from "../../session/revocation.ts";
import { normalizeEmail } from "../../storage/rows.ts";
import type { OneTimeCode } from "../../domain/account.ts";
import { CODE_PATTERN, MAX_CODE_FAILURES, cleanCode, newNumericCode } from "../codes.ts";
import { RESEND_COOLDOWN_SECONDS } from "../limits/buckets.ts";
import { lockoutKey } from "../limits/guard.ts";
import { translator } from "../messages/index.ts";
import { resetEmail } from "../messaging/emails.ts";
import { queueEmail } from "../messaging/send.ts";
import type { PasswordRule } from "../policy/password-policy.ts";
import { newPasswordViolations } from "../../users/users.ts";
import { isReusedPassword, rememberPassword } from "../policy/password-history.ts";
import { recordUserEvent, USER_EVENTS } from "../../audit/events.ts";

export const RESET_LIFETIME_SECONDS = 900;

export async function requestPasswordReset(ctx: Context, input: { email: string; ip: string }): Promise<void> {
  const found = input.email.length <= 254 ? await ctx.storage.users.findByEmail(input.email) : null;
  const user = found && withEmail(found);
  // The secrets are made either way, so both paths cost the same up to here...
  const code = newNumericCode();
  const token = randomToken();
  const hashes = { code: sha256(code), token: sha256(token) };
  if (!user || user.disabled) return;
  // ...and everything only a real account needs (cooldown, storing, the email) happens after the answer.
  queueEmail(ctx, async () => {
    const now = ctx.now();
    const last = await ctx.storage.oneTimeCodes.get("reset_password", user.id);
    if (last && last.consumedAt === null && last.createdAt + RESEND_COOLDOWN_SECONDS > now) return null;
    await ctx.storage.oneTimeCodes.put({
      purpose: "reset_password", userId: user.id, target: normalizeEmail(user.email), codeHash: hashes.code, linkTokenHash: hashes.token,
      failedAttempts: 0, createdAt: now, expiresAt: now + RESET_LIFETIME_SECONDS, consumedAt: null,
    });
    return resetEmail(translator(), user.email, code, `${ctx.issuer}/reset?token=${encodeURIComponent(token)}`);
  }, { ip: input.ip });
}

const live = (row: OneTimeCode | null, now: number): row is OneTimeCode => row !== null && row.consumedAt === null && row.expiresAt > now;

/** A right code trades for a fresh link token (the code is spent); the page then sets the password with it. */
export async function redeemResetCode(ctx: Context, input: { email: string; code: string }): Promise<{ kind: "ok"; token: string } | { kind: "invalid" }> {
  const now = ctx.now();
  const code = cleanCode(input.code);
  const user = input.email.length <= 254 ? await ctx.storage.users.findByEmail(input.email) : null;
  // The guess is counted before it is compared (see reserveAttempt): parallel guesses cannot
  // outrun the cap. A right code is spent below, so its count no longer matters.
  const row = user ? await ctx.storage.oneTimeCodes.reserveAttempt("reset_password", user.id, { cap: MAX_CODE_FAILURES, at: now }) : null;
  if (!live(row, now) || row.codeHash === null) return { kind: "invalid" };
  if (!CODE_PATTERN.test(code) || !safeEqual(row.codeHash, sha256(code))) return { kind: "invalid" };
  const token = randomToken();
  const ok = await ctx.storage.oneTimeCodes.consume("reset_password", row.userId, { expectedHash: row.codeHash, at: now, nextLinkTokenHash: sha256(token) });
  return ok ? { kind: "ok", token } : { kind: "invalid" };
}

/** Whom a reset link is for, if it is still good (a GET does not spend it: mail scanners follow links). */
export async function resetLinkTarget(ctx: Context, token: string): Promise<{ userId: string; email: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await ctx.storage.oneTimeCodes.findByLinkToken("reset_password", sha256(token));
  if (!live(row, ctx.now())) return null;
  const user = await ctx.storage.users.get(row.userId);
  // The link was sent to an address; if the account's email changed (or went) since, it no longer applies.
  return user && !user.disabled && user.email !== null && normalizeEmail(user.email) === row.target ? { userId: user.id, email: user.email } : null;
}

export type ResetResult = { kind: "done" } | { kind: "invalid" } | { kind: "weak"; rules: PasswordRule[] };

export async function completePasswordReset(ctx: Context, input: { token: string; password: string }): Promise<ResetResult> {
  const target = await resetLinkTarget(ctx, input.token);
  if (!target) return { kind: "invalid" };
  const rules = newPasswordViolations(ctx, input.password, target.email);
  if (rules.length > 0) return { kind: "weak", rules };
  if (await isReusedPassword(ctx, target.userId, input.password)) return { kind: "weak", rules: ["history"] };
  const now = ctx.now();
  if (!(await ctx.storage.oneTimeCodes.consume("reset_password", target.userId, { expectedHash: sha256(input.token), at: now }))) return { kind: "invalid" };
  // Whoever knew the old password (or held a session) is out, everywhere: the new password and the
  // revocations commit together, so a failure cannot leave the new password with the old sessions.
  const hash = await ctx.passwords.hash(input.password);
  await resetPasswordEverywhere(ctx, target.userId, hash);
  await rememberPassword(ctx, target.userId, hash);
  await recordUserEvent(ctx, USER_EVENTS.passwordReset, { id: target.userId, email: target.email });
  // The link proved control of the mailbox: the address is verified, and the lock is lifted.
  const user = await ctx.storage.users.get(target.userId);
  if (user && !user.isVerified) {
    await ctx.storage.users.update(user.id, { isVerified: true }, now);
    await announceUserChanged(ctx, user.id);
  }
  await ctx.storage.lockouts.update(lockoutKey(target.email), () => null);
  return { kind: "done" };
}
