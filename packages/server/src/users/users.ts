// User accounts with login IDs (identity/) and a password. Every way a password is set — sign-up, reset,
// settings, the admin API and the CLI — goes through newPasswordViolations: one policy, the configured one.
import { logOptions } from "../session/revocation.ts";
import { hookLog } from "../hooks/log.ts";
import type { Context } from "../context.ts";
import { randomUUID } from "node:crypto";
import type { User } from "../domain/user.ts";
import type { Identity } from "../domain/identity.ts";
import { findByTypedLoginId } from "../identity/service.ts";
import { MAX_PASSWORD_LENGTH, passwordViolations, type PasswordRule } from "../account/policy/password-policy.ts";
import { isValidEmail } from "../identity/login-id/email.ts";
import { isReusedPassword, rememberPassword } from "../account/policy/password-history.ts";
import { loginIdsForNewUser } from "../storage/identity-rows.ts";
import { emitUserEvent, preCreate } from "../hooks/user-hooks.ts";
import { identityModel } from "../hooks/models.ts";
import { SYSTEM, type EventOrigin } from "../hooks/event-context.ts";

export { MAX_PASSWORD_LENGTH, isValidEmail };
export type CreateUserResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid_email" | "email_taken" }
  | { ok: false; reason: "weak_password"; rules: PasswordRule[] }
  /** A user.pre_create hook said no (its title and reason are shown), or failed (`failed`, logged). */
  | { ok: false; reason: "hook_denied"; title: string | null; message: string | null; failed: boolean };

/** The rules of `authentication.password_policy` a new password for `email` breaks (none: it may be set). */
export function newPasswordViolations(ctx: Context, password: string, email: string | null): PasswordRule[] {
  return passwordViolations(password, ctx.config.authentication.password_policy, email === null ? {} : { email });
}

/**
 * Creates a user with a password: with an email (its login ID made under key `email`), or with
 * login IDs already checked and normalised (identity/service.ts buildLoginIds), or both.
 */
export async function createUser(
  ctx: Context, input: { email?: string | null; loginIds?: Identity[]; password: string; verified?: boolean; origin?: EventOrigin },
): Promise<CreateUserResult> {
  const fromIds = input.loginIds?.find((i) => i.loginIdType === "email")?.loginId ?? null;
  const email = input.email == null ? fromIds : input.email.trim();
  if (input.email != null && !isValidEmail(email!)) return { ok: false, reason: "invalid_email" };
  const rules = newPasswordViolations(ctx, input.password, email);
  if (rules.length > 0) return { ok: false, reason: "weak_password", rules };
  const now = ctx.now();
  const id = randomUUID();
  let user: User = {
    id, email, isVerified: input.verified ?? false, isAnonymous: false, disabled: false,
    disabledReason: null, roles: [], standardAttributes: {}, customAttributes: {}, createdAt: now, updatedAt: now,
  };
  const loginIds = loginIdsForNewUser(user, input.loginIds ?? []);
  const origin = input.origin ?? SYSTEM;
  const gate = await preCreate(ctx, user, loginIds, origin);
  if (!gate.ok) return { ok: false, reason: "hook_denied", title: gate.title, message: gate.reason, failed: gate.failed };
  user = gate.user;
  const hash = await ctx.passwords.hash(input.password);
  // user.created commits with the user (hooks/emit.ts): no event for a sign-up that failed, none lost.
  const groups = gate.groups;
  let created: User | null;
  try {
    created = await ctx.storage.atomic(async () => {
      let c = await ctx.storage.users.create(user, hash, loginIds);
      if (c && groups) {
        // The hook's groups (mutations.user.groups) join in the same transaction; one that names no
        // group fails the sign-up as a hook answer that breaks the config does.
        const joined = await ctx.storage.assignments.change({ kind: "user_group", userId: c.id }, groups, logOptions(ctx));
        if (!joined.ok) throw new HookGroupsRefused(joined.missing);
        c = await ctx.storage.users.get(c.id);
      }
      if (c) await emitUserEvent(ctx, "user.created", c, origin, { identities: loginIds.map(identityModel) });
      return c;
    });
  } catch (err) {
    if (!(err instanceof HookGroupsRefused)) throw err;
    hookLog(ctx.storage).error({ event: "user.pre_create", missing: err.missing }, "blocking hook's mutations name groups that do not exist: the sign-up is refused");
    return { ok: false, reason: "hook_denied", title: null, message: null, failed: true };
  }
  if (created) await rememberPassword(ctx, created.id, hash);
  return created ? { ok: true, user: created } : { ok: false, reason: "email_taken" };
}

class HookGroupsRefused extends Error {
  constructor(readonly missing: string[]) {
    super("user.pre_create named missing groups");
  }
}

/** Sets a user's password under the policy (sessions are left alone: see session/revocation.ts for a reset). */
export async function setPassword(ctx: Context, user: User, password: string, origin: EventOrigin = { triggeredBy: "user" }): Promise<{ ok: true } | { ok: false; rules: PasswordRule[] }> {
  const rules = newPasswordViolations(ctx, password, user.email);
  if (rules.length > 0) return { ok: false, rules };
  if (await isReusedPassword(ctx, user.id, password)) return { ok: false, rules: ["history"] };
  const hash = await ctx.passwords.hash(password);
  await ctx.storage.atomic(async () => {
    await ctx.storage.passwords.set(user.id, hash, ctx.now());
    await emitUserEvent(ctx, "user.password.changed", user, origin);
  });
  await rememberPassword(ctx, user.id, hash);
  return { ok: true };
}

/**
 * Checks a login ID (email, phone or username, whichever configured key it fits) + password.
 * Unknown login IDs cost the same argon2 time as known ones. A disabled user is returned too: only
 * someone who knows the password may learn that the account is disabled, so the caller tells them
 * (and refuses the login) after this check, never before.
 */
export async function verifyLogin(ctx: Context, loginId: string, password: string): Promise<User | null> {
  if (password.length > MAX_PASSWORD_LENGTH || loginId.length > 320) {
    await ctx.passwords.verifyDummy(password.slice(0, MAX_PASSWORD_LENGTH));
    return null;
  }
  const { user } = await findByTypedLoginId(ctx, loginId);
  const stored = user ? await ctx.storage.passwords.get(user.id) : null;
  if (!user || !stored) {
    await ctx.passwords.verifyDummy(password);
    return null;
  }
  if (!(await checkPassword(ctx, user.id, stored, password))) return null;
  return user;
}

/**
 * Verifies a password against the user's stored hash; a hash in an imported format (Authgear's
 * bcrypt-sha512 or bcrypt) is replaced by argon2id once the password has matched it. The write is
 * conditional on the hash still being the one verified, so a reset meanwhile is never undone.
 */
export async function checkPassword(ctx: Context, userId: string, stored: string, password: string): Promise<boolean> {
  if (!(await ctx.passwords.verify(stored, password))) return false;
  if (ctx.passwords.needsRehash(stored)) await ctx.storage.passwords.replace(userId, stored, await ctx.passwords.hash(password), ctx.now());
  return true;
}
