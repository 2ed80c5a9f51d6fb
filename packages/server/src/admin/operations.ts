// Admin operations as plain functions: each does one thing, records it in the audit log, and
// routes revocations through session/revocation.ts so they reach every node and backend.
import type { Context } from "../context.ts";
import { isGrantAlive, isSessionAlive } from "../session/liveness.ts";
import { announceUserBlocked, announceUserChanged, revokeAllForUser, revokeGrant, revokeSession } from "../session/revocation.ts";
import type { User } from "../storage/ports.ts";
import { decodeSid } from "../tokens/sid.ts";
import { createUser, isValidEmail, passwordProblem } from "../users/users.ts";
import { AdminError, notFound } from "./errors.ts";
import { presentClient, presentGrant, presentSession, presentUser } from "./present.ts";
import type { ClientConfig } from "../config/schema.ts";
import { isUserId } from "../input/ids.ts";

export interface Actor {
  id: string;
}

async function audit(ctx: Context, actor: Actor, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}): Promise<void> {
  await ctx.storage.auditLog.append({ at: ctx.now(), actor: actor.id, action, targetType, targetId, details });
}

async function mustGetUser(ctx: Context, id: string): Promise<User> {
  // Ids are UUIDs (users/users.ts): anything else names no user and need not reach the database.
  const user = isUserId(id) ? await ctx.storage.users.get(id) : null;
  if (!user) throw notFound("user");
  return user;
}

export async function adminCreateUser(ctx: Context, actor: Actor, body: { email: string; password: string; verified: boolean }) {
  const result = await createUser(ctx, body);
  if (!result.ok) {
    if (result.reason === "email_taken") throw new AdminError("GH_ADMIN_CONFLICT", "a user with this email already exists");
    throw new AdminError("GH_ADMIN_INVALID_REQUEST", result.reason === "invalid_email" ? "email is not a valid address" : passwordProblem(body.password) ?? "password is not acceptable");
  }
  await audit(ctx, actor, "user.create", "user", result.user.id, { email: result.user.email });
  return presentUser(result.user);
}

export async function adminGetUser(ctx: Context, id: string) {
  return presentUser(await mustGetUser(ctx, id));
}

export async function adminUpdateUser(ctx: Context, actor: Actor, id: string, body: { email?: string; is_verified?: boolean; roles?: string[] }) {
  await mustGetUser(ctx, id);
  if (body.email !== undefined && !isValidEmail(body.email)) throw new AdminError("GH_ADMIN_INVALID_REQUEST", "email is not a valid address");
  if (body.email !== undefined) {
    const other = await ctx.storage.users.findByEmail(body.email);
    if (other && other.id !== id) throw new AdminError("GH_ADMIN_CONFLICT", "another user has this email");
  }
  const patch = { email: body.email, isVerified: body.is_verified, roles: body.roles };
  const updated = await ctx.storage.users.update(id, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), ctx.now());
  if (!updated) throw notFound("user");
  await announceUserChanged(ctx, id);
  await audit(ctx, actor, "user.update", "user", id, { fields: Object.keys(body) });
  return presentUser(updated);
}

export async function adminSetDisabled(ctx: Context, actor: Actor, id: string, disabled: boolean, reason: string) {
  await mustGetUser(ctx, id);
  const updated = await ctx.storage.users.update(id, { disabled, disabledReason: disabled ? reason || null : null }, ctx.now());
  if (!updated) throw notFound("user");
  await (disabled ? announceUserBlocked(ctx, id) : announceUserChanged(ctx, id));
  await audit(ctx, actor, disabled ? "user.disable" : "user.enable", "user", id, disabled ? { reason } : {});
  return presentUser(updated);
}

export async function adminDeleteUser(ctx: Context, actor: Actor, id: string): Promise<void> {
  const user = await mustGetUser(ctx, id);
  await revokeAllForUser(ctx, id);
  await ctx.storage.users.delete(id);
  await announceUserBlocked(ctx, id);
  await audit(ctx, actor, "user.delete", "user", id, { email: user.email });
}

export async function adminSetPassword(ctx: Context, actor: Actor, id: string, password: string): Promise<void> {
  await mustGetUser(ctx, id);
  const problem = passwordProblem(password);
  if (problem) throw new AdminError("GH_ADMIN_INVALID_REQUEST", problem);
  await ctx.storage.passwords.set(id, await ctx.passwords.hash(password), ctx.now());
  await audit(ctx, actor, "user.set_password", "user", id);
}

/** A user's live sessions: IdP sessions (cookies) and offline grants (refresh tokens). */
export async function adminListSessions(ctx: Context, userId: string) {
  await mustGetUser(ctx, userId);
  const now = ctx.now();
  const sessions = (await ctx.storage.sessions.listByUser(userId)).filter((s) => isSessionAlive(s, ctx.config.session, now)).map(presentSession);
  const grants = (await ctx.storage.offlineGrants.listByUser(userId)).filter((g) => isGrantAlive(g, ctx.clients.get(g.clientId), now)).map(presentGrant);
  return { items: [...sessions, ...grants].sort((a, b) => b.created_at.localeCompare(a.created_at)) };
}

export async function adminRevokeSession(ctx: Context, actor: Actor, userId: string, sid: string): Promise<void> {
  const ref = decodeSid(sid);
  if (!ref) throw notFound("session");
  const owner = ref.kind === "idp_session" ? await ctx.storage.sessions.get(ref.id) : await ctx.storage.offlineGrants.get(ref.id);
  if (!owner || owner.userId !== userId) throw notFound("session");
  if (ref.kind === "idp_session") await revokeSession(ctx, ref.id);
  else await revokeGrant(ctx, ref.id);
  await audit(ctx, actor, "session.revoke", "user", userId, { sid });
}

export async function adminRevokeAllSessions(ctx: Context, actor: Actor, userId: string): Promise<void> {
  await mustGetUser(ctx, userId);
  await revokeAllForUser(ctx, userId);
  await audit(ctx, actor, "session.revoke_all", "user", userId);
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
