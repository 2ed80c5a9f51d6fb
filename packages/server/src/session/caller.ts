// The one place that answers "who is calling?": a bearer access token or the `session` cookie
// becomes a live session, or nothing. Userinfo, the resolver, the UI and admin checks call this.
import type { Context } from "../context.ts";
import { decodeJwt, verifyRs256 } from "../crypto/jwt.ts";
import { safeEqual, sha256 } from "../crypto/secrets.ts";
import type { User } from "../storage/ports.ts";
import { decodeSid, type SessionRef } from "../tokens/sid.ts";
import { parseSessionCookie, type ClientInfo } from "./idp-sessions.ts";
import { isGrantAlive, isSessionAlive, TOUCH_INTERVAL_SECONDS } from "./liveness.ts";

export interface Caller {
  user: User;
  session: SessionRef;
  amr: string[];
  authenticatedAt: number;
  /** Set for bearer tokens: the client the token was issued to and its scopes. */
  clientId: string | null;
  scopes: string[];
}

export type BearerResult = { ok: true; caller: Caller } | { ok: false; reason: string };

export async function callerFromBearer(ctx: Context, token: string, client?: ClientInfo): Promise<BearerResult> {
  const jwt = decodeJwt(token);
  if (!jwt) return { ok: false, reason: "malformed token" };
  if (jwt.header.typ !== "at+jwt") return { ok: false, reason: "not an access token" };
  const key = typeof jwt.header.kid === "string" ? ctx.keys.byKid(jwt.header.kid) : undefined;
  if (!key || !verifyRs256(jwt, key.publicKey)) return { ok: false, reason: "bad signature" };
  const p = jwt.payload;
  const now = ctx.now();
  if (p.iss !== ctx.issuer) return { ok: false, reason: "wrong issuer" };
  if (typeof p.exp !== "number" || p.exp <= now) return { ok: false, reason: "expired" };
  const ref = decodeSid(p.sid);
  if (!ref || typeof p.sub !== "string") return { ok: false, reason: "malformed claims" };
  const live = await liveSession(ctx, ref, now);
  if (!live || live.userId !== p.sub) return { ok: false, reason: "session ended" };
  const user = await liveUser(ctx, live.userId);
  if (!user) return { ok: false, reason: "user disabled or deleted" };
  if (client && live.lastAccessedAt + TOUCH_INTERVAL_SECONDS <= now) await touch(ctx, ref, now, client);
  return {
    ok: true,
    caller: {
      user,
      session: ref,
      amr: Array.isArray(p.amr) ? (p.amr as string[]) : [],
      authenticatedAt: typeof p.auth_time === "number" ? p.auth_time : live.authenticatedAt,
      clientId: typeof p.client_id === "string" ? p.client_id : null,
      scopes: typeof p.scope === "string" ? p.scope.split(" ") : [],
    },
  };
}

export async function callerFromCookie(ctx: Context, cookieValue: string, client: ClientInfo): Promise<Caller | null> {
  const parsed = parseSessionCookie(cookieValue);
  if (!parsed) return null;
  const s = await ctx.storage.sessions.get(parsed.id);
  const now = ctx.now();
  if (!s || !safeEqual(s.tokenHash, sha256(parsed.secret)) || !isSessionAlive(s, ctx.config.session, now)) return null;
  const user = await liveUser(ctx, s.userId);
  if (!user) return null;
  if (s.lastAccessedAt + TOUCH_INTERVAL_SECONDS <= now) await ctx.storage.sessions.touch(s.id, now, client.ip, client.userAgent.slice(0, 512));
  return { user, session: { kind: "idp_session", id: s.id }, amr: s.amr, authenticatedAt: s.authenticatedAt, clientId: null, scopes: [] };
}

async function touch(ctx: Context, ref: SessionRef, now: number, client: ClientInfo): Promise<void> {
  const ua = client.userAgent.slice(0, 512);
  if (ref.kind === "idp_session") await ctx.storage.sessions.touch(ref.id, now, client.ip, ua);
  else await ctx.storage.offlineGrants.touch(ref.id, { at: now, ip: client.ip, userAgent: ua });
}

async function liveSession(ctx: Context, ref: SessionRef, now: number): Promise<{ userId: string; authenticatedAt: number; lastAccessedAt: number } | null> {
  if (ref.kind === "idp_session") {
    const s = await ctx.storage.sessions.get(ref.id);
    return s && isSessionAlive(s, ctx.config.session, now) ? s : null;
  }
  const g = await ctx.storage.offlineGrants.get(ref.id);
  return g && isGrantAlive(g, ctx.clients.get(g.clientId), now) ? g : null;
}

async function liveUser(ctx: Context, userId: string): Promise<User | null> {
  const user = await ctx.storage.users.get(userId);
  return user && !user.disabled ? user : null;
}
