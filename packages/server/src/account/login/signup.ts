// Sign-up with email + password under the password policy. A taken email is answered with an
// error — unless verification is required, when it gets the same "check your email" step as a new
// account (the owner is told by email instead), so sign-up does not reveal who has an account.
import type { Context } from "../../context.ts";
import type { User } from "../../domain/user.ts";
import { createUser, isValidEmail, newPasswordViolations } from "../../users/users.ts";
import { accountLimits } from "../limits/buckets.ts";
import type { PasswordRule } from "../policy/password-policy.ts";

export type SignupResult =
  | { kind: "created"; user: User }
  | { kind: "taken_hidden"; email: string }
  | { kind: "email_taken" }
  | { kind: "invalid_email" }
  | { kind: "weak_password"; rules: PasswordRule[] }
  | { kind: "rate_limited"; retryAfter: number };

export async function signUp(ctx: Context, input: { email: string; password: string; ip: string }): Promise<SignupResult> {
  const email = input.email.trim();
  if (!isValidEmail(email)) return { kind: "invalid_email" };
  const rules = newPasswordViolations(ctx, input.password, email);
  if (rules.length > 0) return { kind: "weak_password", rules };
  const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).signupPerIp, input.ip, ctx.now());
  if (!limited.ok) return { kind: "rate_limited", retryAfter: limited.retryAfter };
  // createUser hashes the password before it looks for the email: both answers cost one argon2 hash.
  const result = await createUser(ctx, { email, password: input.password });
  if (result.ok) return { kind: "created", user: result.user };
  if (result.reason === "email_taken") return ctx.config.verification.required ? { kind: "taken_hidden", email } : { kind: "email_taken" };
  return result.reason === "weak_password" ? { kind: "weak_password", rules: result.rules } : { kind: "invalid_email" };
}
