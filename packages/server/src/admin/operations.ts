// Admin operations as plain functions: each does one thing, records it in the audit log, and
// routes revocations through session/revocation.ts so they reach every node and backend.
import type { Identity } from "../domain/identity.ts";
import { buildLoginIds, firstTaken } from "../identity/service.ts";
import type { Context } from "../context.ts";
import { announceUserChanged, deleteUser, disableUser } from "../session/revocation.ts";
import { listUserSessions, revokeOtherSessions, revokeUserSession } from "../session/user-sessions.ts";
import type { User } from "../domain/user.ts";
import { createUser, isValidEmail, setPassword } from "../users/users.ts";
import { emitUserEvent } from "../hooks/user-hooks.ts";
import type { EventOrigin } from "../hooks/event-context.ts";

const ADMIN_API: EventOrigin = { triggeredBy: "admin_api" };
import { violationsInWords } from "../account/policy/describe.ts";
import type { PasswordRule } from "../account/policy/password-policy.ts";
import { AdminError, notFound } from "./errors.ts";
import { presentClient, presentSession, presentUser } from "./present.ts";
import type { ClientConfig } from "../config/schema.ts";
import { isUserId } from "../input/ids.ts";
import type { Page } from "../storage/admin-ports.ts";

export interface Actor {
  id: string;
}

export async function audit(ctx: Context, actor: Actor, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}): Promise<void> {
  await ctx.storage.auditLog.append({ at: ctx.now(), actor: actor.id, action, targetType, targetId, details });
}

export async function mustGetUser(ctx: Context, id: string): Promise<User> {
  // Ids are UUIDs (users/users.ts): anything else names no user and need not reach the database.
  const user = isUserId(id) ? await ctx.storage.users.get(id) : null;
  if (!user) throw notFound("user");
  return user;
}

const invalidEmail = (): AdminError =>
  new AdminError("GH_ADMIN_INVALID_REQUEST", "email is not a valid address", [{ field: "email", code: "invalid_email", message: "Not a valid email address" }]);

/** A policy violation in words, as the problem's detail and the password field's message. */
function weakPassword(ctx: Context, rules: PasswordRule[]): AdminError {
  const words = violationsInWords(rules, ctx.config.authentication.password_policy);
  return new AdminError("GH_ADMIN_INVALID_REQUEST", `password does not meet the password policy: it must ${words}`, [{ field: "password", code: "password_policy", message: `It must ${words}` }]);
}

export async function adminCreateUser(ctx: Context, actor: Actor, body: { email?: string; login_ids?: Record<string, string>; password: string; verified: boolean }) {
  const loginIds = await newUserLoginIds(ctx, body.login_ids ?? {});
  // Blank login IDs are skipped: a user with none and no email could never sign in.
  if (body.email === undefined && loginIds.length === 0) throw new AdminError("GH_ADMIN_INVALID_REQUEST", "give an email or at least one login ID");
  const result = await createUser(ctx, { email: body.email ?? null, loginIds, password: body.password, verified: body.verified, origin: ADMIN_API });
  if (!result.ok) {
    if (result.reason === "hook_denied") throw new AdminError("GH_ADMIN_INVALID_REQUEST", result.failed ? "a user.pre_create hook failed (see the server log)" : `refused by a user.pre_create hook: ${[result.title, result.message].filter(Boolean).join(": ") || "disallowed"}`);
    const taken = result.reason === "email_taken" ? await firstTaken(ctx, loginIds) : null;
    if (taken) throw new AdminError("GH_ADMIN_CONFLICT", `a user with this ${taken.loginIdKey} already exists`, [{ field: `login_ids.${taken.loginIdKey}`, code: "login_id_taken", message: `A user with this ${taken.loginIdKey} already exists` }]);
    if (result.reason === "email_taken") throw new AdminError("GH_ADMIN_CONFLICT", "a user with this email already exists", [{ field: "email", code: "email_taken", message: "A user with this email already exists" }]);
    if (result.reason === "weak_password") throw weakPassword(ctx, result.rules);
    throw invalidEmail();
  }
  await audit(ctx, actor, "user.create", "user", result.user.id, { email: result.user.email });
  return presentUser(result.user);
}

/** `login_ids` of a create request, checked and normalised under their configured keys; 400 otherwise. */
async function newUserLoginIds(ctx: Context, given: Record<string, string>): Promise<Identity[]> {
  const known = new Set(ctx.config.identity.login_id.keys.map((k) => k.key));
  const unknown = Object.keys(given).filter((k) => !known.has(k));
  if (unknown.length) throw new AdminError("GH_ADMIN_INVALID_REQUEST", `login_ids: unknown key ${unknown[0]} (identity.login_id.keys: ${[...known].join(", ")})`);
  const built = buildLoginIds(ctx, "", given);
  if (!built.ok) throw new AdminError("GH_ADMIN_INVALID_REQUEST", `login_ids.${built.problem.key.key} is not valid (${built.problem.reason})`);
  return built.identities;
}

/** Users by creation; or, with a query, role or group, a search (the REST list and GraphQL `users`). */
export async function adminListUsers(ctx: Context, q: { query?: string; role?: string; group?: string; cursor?: string; limit: number }): Promise<Page<User>> {
  return q.query || q.role || q.group
    ? ctx.storage.userSearch.search({ query: q.query, role: q.role, group: q.group, cursor: q.cursor, limit: q.limit })
    : ctx.storage.userDirectory.list({ cursor: q.cursor, limit: q.limit });
}

export async function adminGetUser(ctx: Context, id: string) {
  return presentUser(await mustGetUser(ctx, id));
}

export async function adminUpdateUser(ctx: Context, actor: Actor, id: string, body: { email?: string; is_verified?: boolean; roles?: string[] }) {
  await mustGetUser(ctx, id);
  if (body.email !== undefined && !isValidEmail(body.email)) throw invalidEmail();
  if (body.email !== undefined) {
    const other = await ctx.storage.users.findByEmail(body.email);
    // Also another user's second email login ID under the `email` key the primary email lives in.
    const holder = await ctx.storage.identities.findByLoginId("email", body.email.trim().toLowerCase());
    if ((other && other.id !== id) || (holder && holder.userId !== id)) throw new AdminError("GH_ADMIN_CONFLICT", "another user has this email");
  }
  const patch = { email: body.email, isVerified: body.is_verified, roles: body.roles };
  const updated = await ctx.storage.users.update(id, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), ctx.now());
  if (!updated) throw notFound("user");
  await announceUserChanged(ctx, id);
  await audit(ctx, actor, "user.update", "user", id, { fields: Object.keys(body) });
  return presentUser(updated);
}

/** Disabling refuses every token and session of the user at once, on every node; enabling accepts them again. */
export async function adminSetDisabled(ctx: Context, actor: Actor, id: string, disabled: boolean, reason: string) {
  await mustGetUser(ctx, id);
  const updated = disabled
    ? await disableUser(ctx, id, reason || null, ADMIN_API)
    : await ctx.storage.atomic(async () => {
      const enabled = await ctx.storage.users.update(id, { disabled: false, disabledReason: null }, ctx.now());
      if (enabled) await emitUserEvent(ctx, "user.reenabled", enabled, ADMIN_API);
      return enabled;
    });
  if (!updated) throw notFound("user");
  if (!disabled) await announceUserChanged(ctx, id);
  await audit(ctx, actor, disabled ? "user.disable" : "user.enable", "user", id, disabled ? { reason } : {});
  return presentUser(updated);
}

export async function adminDeleteUser(ctx: Context, actor: Actor, id: string): Promise<void> {
  const user = await mustGetUser(ctx, id);
  if (!(await deleteUser(ctx, id, ADMIN_API))) throw notFound("user");
  await audit(ctx, actor, "user.delete", "user", id, { email: user.email });
}

export async function adminSetPassword(ctx: Context, actor: Actor, id: string, password: string): Promise<void> {
  const result = await setPassword(ctx, await mustGetUser(ctx, id), password);
  if (!result.ok) throw weakPassword(ctx, result.rules);
  await audit(ctx, actor, "user.set_password", "user", id);
}

/** A user's live sessions: IdP sessions (cookies) and offline grants (refresh tokens). */
export async function adminListSessions(ctx: Context, userId: string) {
  await mustGetUser(ctx, userId);
  return { items: (await listUserSessions(ctx, userId)).map(presentSession) };
}

export async function adminRevokeSession(ctx: Context, actor: Actor, userId: string, sid: string): Promise<void> {
  if (!(await revokeUserSession(ctx, userId, sid))) throw notFound("session");
  await audit(ctx, actor, "session.revoke", "user", userId, { sid });
}

export async function adminRevokeAllSessions(ctx: Context, actor: Actor, userId: string): Promise<void> {
  await mustGetUser(ctx, userId);
  const count = await revokeOtherSessions(ctx, userId);
  await audit(ctx, actor, "session.revoke_all", "user", userId, { count });
}

export async function adminUpdateClient(ctx: Context, actor: Actor, clientId: string, patch: Partial<ClientConfig>) {
  const client = ctx.clients.get(clientId);
  if (!client) throw notFound("client");
  const stored = (await ctx.storage.clientSettings.all())[clientId] ?? {};
  const settings = { ...stored, ...patch };
  await ctx.storage.clientSettings.put(clientId, settings, ctx.now());
  const updated = ctx.clients.applySettings(clientId, settings)!;
  await audit(ctx, actor, "client.update", "client", clientId, patch);
  return presentClient(updated);
}
