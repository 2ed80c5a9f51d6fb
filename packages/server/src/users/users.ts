// User accounts with an email login ID and a password.
import type { Context } from "../context.ts";
import { randomUUID } from "node:crypto";
import type { User } from "../storage/ports.ts";
import { isCleanText, textProblem } from "../input/text.ts";

export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 8;
// A practical email check (RFC 5321 length limits); verification proves the address later.
const EMAIL = /^[^\s@<>()"',;:\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export type CreateUserResult = { ok: true; user: User } | { ok: false; reason: "invalid_email" | "weak_password" | "email_taken" };

/** The local part may be any Unicode (RFC 6531) but no controls, direction marks or lone surrogates. */
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email) && isCleanText(email, "identifier");
}

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`;
  // The login form refuses these characters (account/ui/form.ts): a password holding one could never be typed in.
  const problem = textProblem(password, "text");
  return problem ? `Password ${problem}.` : null;
}

export async function createUser(ctx: Context, input: { email: string; password: string; verified?: boolean }): Promise<CreateUserResult> {
  const email = input.email.trim();
  if (!isValidEmail(email)) return { ok: false, reason: "invalid_email" };
  if (passwordProblem(input.password)) return { ok: false, reason: "weak_password" };
  const now = ctx.now();
  const user: User = {
    id: randomUUID(), email, isVerified: input.verified ?? false, isAnonymous: false, disabled: false,
    disabledReason: null, roles: [], createdAt: now, updatedAt: now,
  };
  const created = await ctx.storage.users.create(user, await ctx.passwords.hash(input.password));
  return created ? { ok: true, user: created } : { ok: false, reason: "email_taken" };
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
