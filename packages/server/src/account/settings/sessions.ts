// A user's own sessions, as the settings page lists them: browser (IdP) sessions and apps holding
// refresh tokens (offline grants), live ones only. Revoking checks ownership first.
import type { Context } from "../../context.ts";
import { isGrantAlive, isSessionAlive } from "../../session/liveness.ts";
import { revokeGrant, revokeSession } from "../../session/revocation.ts";

export interface SessionItem {
  kind: "idp_session" | "offline_grant";
  id: string;
  /** The app's name for offline grants; null for browser sessions. */
  clientName: string | null;
  createdAt: number;
  lastAccessedAt: number;
  ip: string;
  device: string;
  current: boolean;
}

/** "Firefox on Linux": enough to recognise a device, no fingerprinting library needed. */
export function describeUserAgent(ua: string): string {
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "";
  return [browser, os].filter(Boolean).join(" on ") || ua.slice(0, 60) || "Unknown device";
}

export async function listUserSessions(ctx: Context, userId: string, currentSessionId: string | null): Promise<SessionItem[]> {
  const now = ctx.now();
  const sessions = (await ctx.storage.sessions.listByUser(userId)).filter((s) => isSessionAlive(s, ctx.config.session, now));
  const grants = (await ctx.storage.offlineGrants.listByUser(userId)).filter((g) => isGrantAlive(g, ctx.clients.get(g.clientId), now));
  const items: SessionItem[] = [
    ...sessions.map((s) => ({
      kind: "idp_session" as const, id: s.id, clientName: null, createdAt: s.createdAt, lastAccessedAt: s.lastAccessedAt,
      ip: s.ip, device: describeUserAgent(s.userAgent), current: s.id === currentSessionId,
    })),
    ...grants.map((g) => ({
      kind: "offline_grant" as const, id: g.id, clientName: ctx.clients.get(g.clientId)?.name || g.clientId, createdAt: g.createdAt,
      lastAccessedAt: g.lastAccessedAt, ip: g.ip, device: describeUserAgent(g.userAgent), current: false,
    })),
  ];
  return items.sort((a, b) => Number(b.current) - Number(a.current) || b.lastAccessedAt - a.lastAccessedAt);
}

export async function revokeUserSession(ctx: Context, userId: string, kind: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{32}$/.test(id)) return false;
  if (kind === "idp_session") {
    const s = await ctx.storage.sessions.get(id);
    if (!s || s.userId !== userId) return false;
    await revokeSession(ctx, id);
    return true;
  }
  if (kind === "offline_grant") {
    const g = await ctx.storage.offlineGrants.get(id);
    if (!g || g.userId !== userId) return false;
    await revokeGrant(ctx, id);
    return true;
  }
  return false;
}
