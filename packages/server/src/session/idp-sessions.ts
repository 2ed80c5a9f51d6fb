// IdP sessions: created at login, carried by the `session` cookie as `<session id>.<secret>`;
// only the secret's SHA-256 is stored.
import type { Context } from "../context.ts";
import { randomId, randomToken, sha256 } from "../crypto/secrets.ts";
import type { IdpSession } from "../domain/session.ts";
import type { User } from "../domain/user.ts";
import { wantsEvent } from "../hooks/emit.ts";
import { emitUserEvent } from "../hooks/user-hooks.ts";
import { sessionModel } from "../hooks/models.ts";

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export async function createIdpSession(ctx: Context, user: User, amr: string[], client: ClientInfo, o: { cookieless?: boolean; authenticatedAt?: number; expiresAt?: number; clientId?: string; parentGrantId?: string } = {}): Promise<{ session: IdpSession; cookieValue: string }> {
  const now = ctx.now();
  const secret = randomToken();
  const session: IdpSession = {
    id: randomId(),
    userId: user.id,
    tokenHash: sha256(secret),
    amr,
    // A session carried over from an app (settings-surface/app-session-token.ts) keeps the app's login time.
    authenticatedAt: o.authenticatedAt ?? now,
    createdAt: now,
    lastAccessedAt: now,
    expiresAt: Math.min(o.expiresAt ?? Infinity, now + ctx.config.session.lifetime_seconds),
    ip: client.ip,
    userAgent: client.userAgent.slice(0, 512),
    revokedAt: null,
    cookieless: o.cookieless ?? false,
    parentGrantId: o.parentGrantId ?? null,
  };
  if (wantsEvent(ctx.config, "user.authenticated")) {
    // user.authenticated commits with the session (hooks/emit.ts).
    await ctx.storage.atomic(async () => {
      await ctx.storage.sessions.create(session);
      await emitUserEvent(ctx, "user.authenticated", user, { triggeredBy: "user", ip: client.ip, userAgent: client.userAgent, clientId: o.clientId }, { session: sessionModel(session) });
    });
  } else {
    await ctx.storage.sessions.create(session);
  }
  return { session, cookieValue: `${session.id}.${secret}` };
}

export function parseSessionCookie(value: string): { id: string; secret: string } | null {
  const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(value);
  return m ? { id: m[1], secret: m[2] } : null;
}
