// "A user's sessions", the one module behind both the admin API and the settings page: browser (IdP)
// sessions and apps holding refresh tokens (offline grants), live ones only; revoking one checks it
// belongs to the user first; "everywhere else" keeps the current browser's login.
import type { Context } from "../context.ts";
import { decodeSid, encodeSid } from "../tokens/sid.ts";
import { isGrantAlive, isSessionAlive } from "./liveness.ts";
import { revokeAllForUser, revokeGrant, revokeSession } from "./revocation.ts";
import type { EventOrigin } from "../hooks/event-context.ts";

export interface UserSession {
  kind: "idp_session" | "offline_grant";
  id: string;
  /** The `sid` tokens carry: `i.<id>` or `o.<id>`. */
  sid: string;
  /** Offline grants: the app holding the refresh token. */
  clientId: string | null;
  clientName: string | null;
  /** Offline grants: the browser session the app signed in through, if known. */
  idpSessionId: string | null;
  createdAt: number;
  lastAccessedAt: number;
  expiresAt: number;
  ip: string;
  userAgent: string;
  /** The user agent in words ("Firefox on Linux"). */
  device: string;
  amr: string[];
  /** The browser session this request came with, or the app grant that session was opened from. */
  current: boolean;
}

/** "Firefox on Linux": enough to recognise a device, no fingerprinting library needed. */
export function describeUserAgent(ua: string): string {
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "";
  return [browser, os].filter(Boolean).join(" on ") || ua.slice(0, 60) || "Unknown device";
}

/** Live sessions and grants, the current one first, then the most recently used. */
export async function listUserSessions(ctx: Context, userId: string, o: { currentSessionId?: string | null } = {}): Promise<UserSession[]> {
  const now = ctx.now();
  // A cookieless session (an SSO-off login) is no browser's: the app's grant stands for it.
  const sessions = (await ctx.storage.sessions.listByUser(userId)).filter((s) => !s.cookieless && isSessionAlive(s, ctx.config.session, now));
  const grants = (await ctx.storage.offlineGrants.listByUser(userId)).filter((g) => isGrantAlive(g, ctx.clients.get(g.clientId), now));
  // A browser session opened from an app (app session token) is that app's: its grant is current too.
  const currentApp = sessions.find((s) => s.id === o.currentSessionId)?.parentGrantId ?? null;
  const items: UserSession[] = [
    ...sessions.map((s) => ({
      kind: "idp_session" as const, id: s.id, sid: encodeSid({ kind: "idp_session", id: s.id }), clientId: null, clientName: null,
      idpSessionId: null, createdAt: s.createdAt, lastAccessedAt: s.lastAccessedAt, expiresAt: s.expiresAt, ip: s.ip, userAgent: s.userAgent,
      device: describeUserAgent(s.userAgent), amr: s.amr, current: s.id === o.currentSessionId,
    })),
    ...grants.map((g) => ({
      kind: "offline_grant" as const, id: g.id, sid: encodeSid({ kind: "offline_grant", id: g.id }), clientId: g.clientId,
      clientName: ctx.clients.get(g.clientId)?.name || g.clientId, idpSessionId: g.idpSessionId, createdAt: g.createdAt, lastAccessedAt: g.lastAccessedAt,
      expiresAt: g.expiresAt, ip: g.ip, userAgent: g.userAgent, device: describeUserAgent(g.userAgent), amr: g.amr, current: g.id === currentApp,
    })),
  ];
  return items.sort((a, b) => Number(b.current) - Number(a.current) || b.lastAccessedAt - a.lastAccessedAt || b.createdAt - a.createdAt);
}

/** Revokes one session or grant by its sid, if it is the user's; false if there is no such thing of theirs. */
export async function revokeUserSession(ctx: Context, userId: string, sid: string, origin: EventOrigin = { triggeredBy: "user" }): Promise<boolean> {
  const ref = decodeSid(sid);
  if (!ref) return false;
  const owner = ref.kind === "idp_session" ? await ctx.storage.sessions.get(ref.id) : await ctx.storage.offlineGrants.get(ref.id);
  if (!owner || owner.userId !== userId) return false;
  await (ref.kind === "idp_session" ? revokeSession(ctx, ref.id, { type: "user.session.terminated", origin }) : revokeGrant(ctx, ref.id));
  return true;
}

/** Would "sign out everywhere else" end this item? Not the current browser, nor an app signed in through it. */
export function endsElsewhere(item: UserSession, currentSessionId: string | null): boolean {
  return !item.current && (currentSessionId === null || item.idpSessionId !== currentSessionId);
}

/**
 * Signs the user out everywhere — or, with `keepSessionId`, everywhere but that browser (and the apps
 * that signed in through it). One transaction, whatever the number of sessions. Returns how many ended.
 */
export async function revokeOtherSessions(ctx: Context, userId: string, o: { keepSessionId?: string | null; origin?: EventOrigin } = {}): Promise<number> {
  const origin = o.origin ?? { triggeredBy: "user" };
  return revokeAllForUser(ctx, userId, o.keepSessionId ? { exceptSessionId: o.keepSessionId, origin } : { origin });
}
