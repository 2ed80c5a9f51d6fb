// Every revocation goes through here: the store is updated, the revocation log gets an event (for
// other nodes' caches and for backends following the feed), and listeners on this node hear it.
import type { Context } from "../context.ts";
import type { RevocationKind, RevocationListener } from "../domain/revocation.ts";
import { encodeSid } from "../tokens/sid.ts";

export type { RevocationListener };

/** Until when might a token affected by a revocation now still be unexpired? */
function horizon(ctx: Context): number {
  const longest = Math.max(300, ...ctx.clients.all().map((c) => c.access_token_lifetime_seconds));
  return ctx.now() + longest;
}

async function announce(ctx: Context, kind: RevocationKind, id: string): Promise<void> {
  const at = ctx.now();
  await ctx.storage.revocations.append({ kind, id, at, expiresAt: horizon(ctx) });
  ctx.revocationListeners.forEach((listener) => listener(kind, id));
}

export async function revokeGrant(ctx: Context, grantId: string): Promise<void> {
  if (await ctx.storage.offlineGrants.revoke(grantId, ctx.now())) {
    await announce(ctx, "grant", encodeSid({ kind: "offline_grant", id: grantId }));
  }
}

/** Ends an IdP session and every offline grant born from it (logout ends the whole login). */
export async function revokeSession(ctx: Context, sessionId: string): Promise<void> {
  const session = await ctx.storage.sessions.get(sessionId);
  if (!session) return;
  if (await ctx.storage.sessions.revoke(sessionId, ctx.now())) {
    await announce(ctx, "session", encodeSid({ kind: "idp_session", id: sessionId }));
  }
  const grants = await ctx.storage.offlineGrants.listByUser(session.userId);
  for (const g of grants) if (g.idpSessionId === sessionId && g.revokedAt === null) await revokeGrant(ctx, g.id);
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
