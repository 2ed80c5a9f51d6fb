// User accounts with an email login ID and a password. Every way a password is set — sign-up, reset,
// settings, the admin API and the CLI — goes through newPasswordViolations: one policy, the configured one.
import type { Context } from "../context.ts";
import { randomUUID } from "node:crypto";
import type { User } from "../domain/user.ts";
import { MAX_PASSWORD_LENGTH, passwordViolations, type PasswordRule } from "../account/policy/password-policy.ts";
import { isCleanText } from "../input/text.ts";

export { MAX_PASSWORD_LENGTH };
// A practical email check (RFC 5321 length limits); verification proves the address later.
const EMAIL = /^[^\s@<>()"',;:\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export type CreateUserResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid_email" | "email_taken" }
  | { ok: false; reason: "weak_password"; rules: PasswordRule[] };

/** The local part may be any Unicode (RFC 6531) but no controls, direction marks or lone surrogates. */
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email) && isCleanText(email, "identifier");
}

/** The rules of `authentication.password_policy` a new password for `email` breaks (none: it may be set). */
export function newPasswordViolations(ctx: Context, password: string, email: string | null): PasswordRule[] {
  return passwordViolations(password, ctx.config.authentication.password_policy, email === null ? {} : { email });
}

export async function createUser(ctx: Context, input: { email: string; password: string; verified?: boolean }): Promise<CreateUserResult> {
  const email = input.email.trim();
  if (!isValidEmail(email)) return { ok: false, reason: "invalid_email" };
  const rules = newPasswordViolations(ctx, input.password, email);
  if (rules.length > 0) return { ok: false, reason: "weak_password", rules };
  const now = ctx.now();
  const user: User = {
    id: randomUUID(), email, isVerified: input.verified ?? false, isAnonymous: false, disabled: false,
    disabledReason: null, roles: [], standardAttributes: {}, customAttributes: {}, createdAt: now, updatedAt: now,
  };
  const created = await ctx.storage.users.create(user, await ctx.passwords.hash(input.password));
  return created ? { ok: true, user: created } : { ok: false, reason: "email_taken" };
}

/** Sets a user's password under the policy (sessions are left alone: see session/revocation.ts for a reset). */
export async function setPassword(ctx: Context, user: User, password: string): Promise<{ ok: true } | { ok: false; rules: PasswordRule[] }> {
  const rules = newPasswordViolations(ctx, password, user.email);
  if (rules.length > 0) return { ok: false, rules };
  await ctx.storage.passwords.set(user.id, await ctx.passwords.hash(password), ctx.now());
  return { ok: true };
}

/** Checks email + password. Unknown emails cost the same argon2 time as known ones. */
export async function verifyLogin(ctx: Context, email: string, password: string): Promise<User | null> {
  if (password.length > MAX_PASSWORD_LENGTH || email.length > 254) {
    await ctx.passwords.verifyDummy(password.slice(0, MAX_PASSWORD_LENGTH));
    return null;
  }
  const user = await ctx.storage.users.findByEmail(email);
  const stored = user ? await ctx.storage.passwords.get(user.id) : null;
  if (!user || !stored) {
    await ctx.passwords.verifyDummy(password);
    return null;
  }
  if (!(await ctx.passwords.verify(stored, password))) return null;
  return user.disabled ? null : user;
}
