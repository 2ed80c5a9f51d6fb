// Every revocation goes through here: the store is updated, the revocation log gets an event (for
// other nodes' caches and for backends following the feed), and listeners on this node hear it.
import type { Context } from "../context.ts";
import type { RevocationKind } from "../storage/admin-ports.ts";
import { encodeSid, type SessionRef } from "../tokens/sid.ts";

/** Told of revocations made on this node, synchronously, before the revoking request returns. */
export type RevocationListener = (kind: RevocationKind, id: string) => void;

/** Until when might a token affected by a revocation now still be unexpired? */
function horizon(ctx: Context): number {
  const longest = Math.max(300, ...ctx.clients.all().map((c) => c.access_token_lifetime_seconds));
  return ctx.now() + longest;
}

async function announce(ctx: Context, kind: RevocationKind, id: string): Promise<void> {
  const at = ctx.now();
  await ctx.storage.revocations.append({ kind, id, at, expiresAt: horizon(ctx) });
  ctx.revocationListeners.forEach((listener) => listener(kind, id));
  // "user_changed" only tells caches to re-read a user: not a revocation.
  if (kind !== "user_changed") ctx.metrics.revoked(kind);
}

/** Ends an offline grant; true if this call ended it (false: missing or already revoked). */
export async function revokeGrant(ctx: Context, grantId: string): Promise<boolean> {
  if (!(await ctx.storage.offlineGrants.revoke(grantId, ctx.now()))) return false;
  await announce(ctx, "grant", encodeSid({ kind: "offline_grant", id: grantId }));
  return true;
}

/**
 * Ends an IdP session and every offline grant born from it (logout ends the whole login); true
 * if this call ended the session itself.
 */
export async function revokeSession(ctx: Context, sessionId: string): Promise<boolean> {
  const session = await ctx.storage.sessions.get(sessionId);
  if (!session) return false;
  const revoked = await ctx.storage.sessions.revoke(sessionId, ctx.now());
  if (revoked) await announce(ctx, "session", encodeSid({ kind: "idp_session", id: sessionId }));
  const grants = await ctx.storage.offlineGrants.listByUser(session.userId);
  for (const g of grants) if (g.idpSessionId === sessionId && g.revokedAt === null) await revokeGrant(ctx, g.id);
  return revoked;
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
  await ctx.storage.auditLog.append({
    at: ctx.now(), actor: "system", action: "session.revoke", targetType: "user", targetId: details.userId,
    details: { sid: encodeSid(ref), reason: details.reason, client_id: details.clientId },
  });
}

/** Ends everything a user has: every IdP session and every offline grant. */
export async function revokeAllForUser(ctx: Context, userId: string): Promise<void> {
  for (const s of await ctx.storage.sessions.listByUser(userId)) if (s.revokedAt === null) await revokeSession(ctx, s.id);
  for (const g of await ctx.storage.offlineGrants.listByUser(userId)) if (g.revokedAt === null) await revokeGrant(ctx, g.id);
}

/** A disabled or deleted user: their tokens stop working everywhere, sessions stay recorded. */
export async function announceUserBlocked(ctx: Context, userId: string): Promise<void> {
  await announce(ctx, "user", userId);
}

/** A user's attributes changed (roles, verification, re-enabled): caches on every node re-read them. */
export async function announceUserChanged(ctx: Context, userId: string): Promise<void> {
  await announce(ctx, "user_changed", userId);
}
