// Every revocation goes through here. The storage cascades (storage/ports.ts RevocationCascadeStore)
// update the rows and append the revocation-log events in one transaction — other nodes' caches and
// backends following the feed read the log — and then listeners on this node hear each event.
import type { Context } from "../context.ts";
import type { RevocationListener } from "../domain/revocation.ts";
import type { User } from "../domain/user.ts";
import type { CascadeOptions, LoggedRevocation } from "../storage/ports.ts";
import { encodeSid, type SessionRef } from "../tokens/sid.ts";
import { recordUserEvent, USER_EVENTS } from "../audit/events.ts";
import { emitUserEvent } from "../hooks/user-hooks.ts";
import { wantsEvent } from "../hooks/emit.ts";
import { sessionModel } from "../hooks/models.ts";
import { SYSTEM, type EventOrigin } from "../hooks/event-context.ts";

/** Which webhook event a session's end is (hooks/): logging out, or ending it from settings or the admin API. */
export interface SessionEndEvent {
  type: "user.signed_out" | "user.session.terminated";
  origin: EventOrigin;
}

export type { RevocationListener };

/** Until when might a token affected by a revocation now still be unexpired? */
function horizon(ctx: Context): number {
  const longest = Math.max(300, ...ctx.clients.all().map((c) => c.access_token_lifetime_seconds));
  return ctx.now() + longest;
}

const options = (ctx: Context): CascadeOptions => ({ at: ctx.now(), logUntil: horizon(ctx) });
/** The time and log expiry a storage call that logs revocations or user changes needs. */
export const logOptions = options;

/** After the commit: the events are in the log by the time this node's listeners hear of them. */
function tell(ctx: Context, revoked: LoggedRevocation[]): number {
  for (const e of revoked) {
    ctx.revocationListeners.forEach((listener) => listener(e.kind, e.id));
    // "user_changed" only tells caches to re-read a user: not a revocation.
    if (e.kind !== "user_changed") ctx.metrics.revoked(e.kind);
  }
  return revoked.length;
}

/**
 * Ends an offline grant; true if this call ended it (false: missing or already revoked). A grant
 * born from a cookieless session (an SSO-off login: domain/session.ts) was that login's only
 * holder, so the session ends with it: logging out of the app ends everything the login made.
 */
export async function revokeGrant(ctx: Context, grantId: string): Promise<boolean> {
  const grant = await ctx.storage.offlineGrants.get(grantId);
  const session = grant?.idpSessionId ? await ctx.storage.sessions.get(grant.idpSessionId) : null;
  if (session?.cookieless && session.revokedAt === null) {
    const revoked = await ctx.storage.cascades.revokeBySession(session.id, options(ctx));
    tell(ctx, revoked);
    return revoked.some((e) => e.kind === "grant" && e.id === grantId);
  }
  return tell(ctx, await ctx.storage.cascades.revokeByGrant(grantId, options(ctx))) > 0;
}

/**
 * Ends an IdP session and every offline grant born from it (logout ends the whole login); true
 * if this call ended the session itself.
 */
export async function revokeSession(ctx: Context, sessionId: string, event?: SessionEndEvent): Promise<boolean> {
  const revoked = event && wantsEvent(ctx.config, event.type)
    ? await ctx.storage.atomic(async () => {
      const session = await ctx.storage.sessions.get(sessionId);
      const user = session ? await ctx.storage.users.get(session.userId) : null;
      const r = await ctx.storage.cascades.revokeBySession(sessionId, options(ctx));
      if (user && session && r.some((e) => e.kind === "session")) {
        const extra = event.type === "user.signed_out" ? { session: sessionModel(session) } : { sessions: [sessionModel(session)], termination_type: "individual" };
        await emitUserEvent(ctx, event.type, user, event.origin, extra);
      }
      return r;
    })
    : await ctx.storage.cascades.revokeBySession(sessionId, options(ctx));
  tell(ctx, revoked);
  return revoked.some((e) => e.kind === "session");
}

/**
 * A used-up credential came back: a rotated refresh token after its grace window (RFC 9700
 * §4.14.2) or a spent authorization code (RFC 6749 §4.1.2, RFC 9700 §4.5). Someone else may
 * hold it, so what it names is revoked, and the audit log says why. Of concurrent replays only
 * the one that actually revoked writes the entry.
 */
export async function revokeOnReplay(ctx: Context, ref: SessionRef, details: { userId: string; clientId: string; reason: "refresh_token_reuse" | "authorization_code_replay" }): Promise<void> {
  const revoked = ref.kind === "offline_grant" ? await revokeGrant(ctx, ref.id) : await revokeSession(ctx, ref.id);
  if (!revoked) return;
  await recordUserEvent(ctx, USER_EVENTS.tokenReuseDetected, { id: details.userId, email: null }, { sid: encodeSid(ref), reason: details.reason, client_id: details.clientId }, "system");
}

/**
 * Ends everything a user has: every IdP session and every offline grant — or, with
 * `exceptSessionId`, everything but that session and the grants born from it. Returns how many ended.
 */
export async function revokeAllForUser(ctx: Context, userId: string, o: { exceptSessionId?: string; origin?: EventOrigin } = {}): Promise<number> {
  const { origin, ...rest } = o;
  if (!origin || !wantsEvent(ctx.config, "user.session.terminated")) return tell(ctx, await ctx.storage.cascades.revokeByUser(userId, { ...options(ctx), ...rest }));
  return tell(ctx, await ctx.storage.atomic(async () => {
    const user = await ctx.storage.users.get(userId);
    const live = (await ctx.storage.sessions.listByUser(userId)).filter((s) => s.revokedAt === null && s.id !== rest.exceptSessionId);
    const r = await ctx.storage.cascades.revokeByUser(userId, { ...options(ctx), ...rest });
    if (user && r.length > 0) {
      await emitUserEvent(ctx, "user.session.terminated", user, origin, {
        sessions: live.map(sessionModel), termination_type: rest.exceptSessionId ? "all_except_current" : "all",
      });
    }
    return r;
  }));
}

/** A password reset: the new password is set and every session and grant ends, together. */
export async function resetPasswordEverywhere(ctx: Context, userId: string, passwordHash: string, origin: EventOrigin = SYSTEM): Promise<void> {
  tell(ctx, await ctx.storage.atomic(async () => {
    const r = await ctx.storage.cascades.resetPassword(userId, passwordHash, options(ctx));
    const user = wantsEvent(ctx.config, "user.password.changed") ? await ctx.storage.users.get(userId) : null;
    if (user) await emitUserEvent(ctx, "user.password.changed", user, origin);
    return r;
  }));
}

/** Disables a user: their tokens stop working everywhere at once (sessions are kept for when they are enabled). Null if no such user. */
export async function disableUser(ctx: Context, userId: string, reason: string | null, origin: EventOrigin = SYSTEM): Promise<User | null> {
  const r = await ctx.storage.atomic(async () => {
    const done = await ctx.storage.cascades.disableUser(userId, reason, options(ctx));
    if (done) await emitUserEvent(ctx, "user.disabled", done.user, origin);
    return done;
  });
  if (!r) return null;
  tell(ctx, r.revoked);
  return r.user;
}

/** Deletes a user and everything they own, ending their tokens everywhere. False if no such user. */
export async function deleteUser(ctx: Context, userId: string, origin: EventOrigin = SYSTEM): Promise<boolean> {
  const revoked = await ctx.storage.atomic(async () => {
    const user = wantsEvent(ctx.config, "user.deleted") ? await ctx.storage.users.get(userId) : null;
    const r = await ctx.storage.cascades.deleteUser(userId, options(ctx));
    if (r && user) await emitUserEvent(ctx, "user.deleted", user, origin);
    return r;
  });
  if (!revoked) return false;
  tell(ctx, revoked);
  return true;
}

/**
 * Role and group changes: the storage call already logged one `user_changed` per affected user in
 * its transaction (profile-ports.ts); this node's listeners hear of them now.
 */
export function usersChanged(ctx: Context, logged: LoggedRevocation[]): void {
  tell(ctx, logged);
}

/** A user's attributes changed (roles, verification, re-enabled): caches on every node re-read them. */
export async function announceUserChanged(ctx: Context, userId: string): Promise<void> {
  const at = ctx.now();
  await ctx.storage.revocations.append({ kind: "user_changed", id: userId, at, expiresAt: horizon(ctx) });
  tell(ctx, [{ kind: "user_changed", id: userId }]);
}
