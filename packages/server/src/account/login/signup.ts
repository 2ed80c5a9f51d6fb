// Sign-up with the configured login IDs (identity.login_id.keys: email, phone, username — at least
// one) + a password under the password policy. A taken login ID is answered with an error — except
// a taken email when verification is required: that gets the same "check your email" step as a new
// account (the owner is told by email instead), so sign-up does not reveal who has an account.
import type { Context } from "../../context.ts";
import type { User } from "../../domain/user.ts";
import type { LoginIdKeyConfig } from "../../config/identity.ts";
import { createUser, newPasswordViolations } from "../../users/users.ts";
import { buildLoginIds, firstTaken, type LoginIdProblem } from "../../identity/service.ts";
import { loginIdKeys } from "../../identity/login-id/index.ts";
import { accountLimits } from "../limits/buckets.ts";
import { promoteWithLoginIds, promotionFor } from "../../device-keys/promotion.ts";
import type { PasswordRule } from "../policy/password-policy.ts";
import type { EventOrigin } from "../../hooks/event-context.ts";

export type SignupResult =
  | { kind: "created"; user: User }
  | { kind: "taken_hidden"; email: string }
  | { kind: "login_id"; problem: LoginIdProblem }
  | { kind: "login_id_required"; keys: LoginIdKeyConfig[] }
  | { kind: "weak_password"; rules: PasswordRule[] }
  | { kind: "rate_limited"; retryAfter: number }
  /** A user.pre_create hook said no (title and reason to show), or failed (`failed`: logged, a generic message shown). */
  | { kind: "hook_denied"; title: string | null; reason: string | null; failed: boolean };

export async function signUp(ctx: Context, input: { loginIds: Record<string, string>; password: string; ip: string; flowId?: string | null; origin?: EventOrigin }): Promise<SignupResult> {
  const built = buildLoginIds(ctx, "", input.loginIds);
  if (!built.ok) return { kind: "login_id", problem: built.problem };
  if (built.identities.length === 0) return { kind: "login_id_required", keys: loginIdKeys(ctx.config) };
  const email = built.identities.find((i) => i.loginIdType === "email")?.loginId ?? null;
  const rules = newPasswordViolations(ctx, input.password, email);
  if (rules.length > 0) return { kind: "weak_password", rules };
  const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).signupPerIp, input.ip, ctx.now());
  if (!limited.ok) return { kind: "rate_limited", retryAfter: limited.retryAfter };
  // An anonymous user being promoted (device-keys/promotion.ts) keeps their account and `sub`.
  const promoting = await promotionFor(ctx, input.flowId ?? null);
  if (promoting) {
    const promoted = await promoteWithLoginIds(ctx, input.flowId!, promoting, built.identities, input.password);
    if (promoted) return { kind: "created", user: promoted };
  }
  // createUser hashes the password before it writes: a taken and a free login ID cost one argon2 hash each.
  const result = await createUser(ctx, { loginIds: built.identities, password: input.password, origin: input.origin ?? { triggeredBy: "user", ip: input.ip } });
  if (result.ok) return { kind: "created", user: result.user };
  if (result.reason === "hook_denied") return { kind: "hook_denied", title: result.title, reason: result.message, failed: result.failed };
  if (result.reason === "weak_password") return { kind: "weak_password", rules: result.rules };
  const taken = await firstTaken(ctx, built.identities);
  const key = loginIdKeys(ctx.config).find((k) => k.key === taken?.loginIdKey) ?? loginIdKeys(ctx.config)[0];
  if (key.type === "email" && taken?.loginId && ctx.config.verification.required) return { kind: "taken_hidden", email: taken.loginId };
  return { kind: "login_id", problem: { key, reason: "taken" } };
}
