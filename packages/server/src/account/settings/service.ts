// What the settings page does, as plain functions: change the password, turn TOTP on and off,
// make new recovery codes. Every proof (password, code) goes through the credential guard.
import { emitUserEvent } from "../../hooks/user-hooks.ts";
import { accountName } from "../../domain/user.ts";
import type { Context } from "../../context.ts";
import type { User } from "../../domain/user.ts";
import { CODE_PATTERN, cleanCode } from "../codes.ts";
import { guardCredential, type Guarded } from "../limits/guard.ts";
import { issueRecoveryCodes } from "../mfa/recovery-codes.ts";
import { matchTotp, newTotpSecret, useTotp } from "../mfa/totp.ts";
import type { PasswordRule } from "../policy/password-policy.ts";
import { checkPassword, newPasswordViolations, setPassword } from "../../users/users.ts";
import { recordUserEvent, USER_EVENTS } from "../../audit/events.ts";

export type Refused = Exclude<Guarded<unknown>, { kind: "ok" }>;

async function passwordMatches(ctx: Context, user: User, password: string): Promise<true | null> {
  const stored = await ctx.storage.passwords.get(user.id);
  return stored && (await checkPassword(ctx, user.id, stored, password)) ? true : null;
}

export async function changePassword(
  ctx: Context, user: User, input: { current: string; next: string; ip: string },
): Promise<{ kind: "ok" } | { kind: "weak"; rules: PasswordRule[] } | Refused> {
  const rules = newPasswordViolations(ctx, input.next, user.email);
  if (rules.length > 0) return { kind: "weak", rules };
  const proof = await guardCredential(ctx, { email: accountName(user), ip: input.ip }, () => passwordMatches(ctx, user, input.current));
  if (proof.kind !== "ok") return proof;
  const set = await setPassword(ctx, user, input.next);
  return set.ok ? { kind: "ok" } : { kind: "weak", rules: set.rules };
}

/** Starts (or restarts) a TOTP setup: the secret is stored unconfirmed until a code from it is typed. */
export async function beginTotpSetup(ctx: Context, user: User): Promise<string | null> {
  const existing = await ctx.storage.totp.get(user.id);
  if (existing?.confirmedAt != null) return null;
  const secret = newTotpSecret();
  return (await ctx.storage.totp.putPending({ userId: user.id, secret, createdAt: ctx.now(), confirmedAt: null, lastUsedStep: 0 })) ? secret : null;
}

/** Confirms the setup with a code; returns the new recovery codes (to show once), or null. */
export async function confirmTotpSetup(ctx: Context, user: User, input: { code: string }): Promise<string[] | null> {
  const pending = await ctx.storage.totp.get(user.id);
  if (!pending || pending.confirmedAt !== null) return null;
  const step = await matchTotp(pending.secret, input.code, ctx.now());
  const confirmed = step !== null && await ctx.storage.atomic(async () => {
    const ok = await ctx.storage.totp.confirm(user.id, pending.secret, ctx.now(), step);
    if (ok) await emitUserEvent(ctx, "authenticator.totp.added", user, { triggeredBy: "user" });
    return ok;
  });
  if (!confirmed) return null;
  await recordUserEvent(ctx, USER_EVENTS.mfaAdded, user);
  return issueRecoveryCodes(ctx, user.id);
}

/** Turning TOTP off takes the password or a current TOTP code. */
export async function disableTotp(ctx: Context, user: User, input: { proof: string; ip: string }): Promise<{ kind: "ok" } | Refused> {
  const code = cleanCode(input.proof);
  const result = await guardCredential(ctx, { email: accountName(user), ip: input.ip }, async () =>
    CODE_PATTERN.test(code) && (await useTotp(ctx, user.id, code)) ? true : passwordMatches(ctx, user, input.proof));
  if (result.kind !== "ok") return result;
  await ctx.storage.atomic(async () => {
    if (await ctx.storage.totp.delete(user.id)) await emitUserEvent(ctx, "authenticator.totp.removed", user, { triggeredBy: "user" });
  });
  await ctx.storage.recoveryCodes.deleteAll(user.id);
  await recordUserEvent(ctx, USER_EVENTS.mfaRemoved, user, { ip: input.ip });
  return { kind: "ok" };
}

/** New recovery codes take a current TOTP code: the codes are a second factor themselves. */
export async function regenerateRecoveryCodes(ctx: Context, user: User, input: { code: string; ip: string }): Promise<{ kind: "ok"; codes: string[] } | Refused> {
  const result = await guardCredential(ctx, { email: accountName(user), ip: input.ip }, async () => ((await useTotp(ctx, user.id, input.code)) ? true : null));
  if (result.kind !== "ok") return result;
  return { kind: "ok", codes: await issueRecoveryCodes(ctx, user.id) };
}
