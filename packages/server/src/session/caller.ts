// The one place that answers "who is calling?": a bearer access token or the `session` cookie
// becomes a live session, or nothing. Userinfo, the resolver, the UI and admin checks call this.
import type { Context } from "../context.ts";
import { decodeJwt, verifyRs256 } from "../crypto/jwt.ts";
import { safeEqual, sha256 } from "../crypto/secrets.ts";
import type { IdpSession, OfflineGrant } from "../domain/session.ts";
import type { User } from "../domain/user.ts";
import type { SessionRecord } from "./validity-cache.ts";
import { decodeSid, type SessionRef } from "../tokens/sid.ts";
import { parseSessionCookie, type ClientInfo } from "./idp-sessions.ts";
import { isGrantAlive, isSessionAlive, TOUCH_INTERVAL_SECONDS } from "./liveness.ts";
import { tokenBindingHolds } from "../dpop/binding.ts";

export interface Caller {
  user: User;
  session: SessionRef;
  amr: string[];
  authenticatedAt: number;
  /** Set for bearer tokens: the client the token was issued to and its scopes. */
  clientId: string | null;
  scopes: string[];
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(header: string): string | null {
  if (header.length < 8 || header.charCodeAt(6) !== 32 || header.slice(0, 6).toLowerCase() !== "bearer") return null;
  const token = header.slice(7);
  return token.length > 0 && !/\s/.test(token) ? token : null;
}

/** The reason given when a DPoP-bound token came without a proof by its key. */
export const DPOP_BINDING_FAILED = "dpop binding";

export type BearerResult = { ok: true; caller: Caller } | { ok: false; reason: string };

/**
 * `proof`: the request's verified DPoP proof, if any (dpop/resource.ts). A DPoP-bound token (`cnf`,
 * RFC 9449 §6.1) is refused without a proof by its key; callers that take no proof pass nothing.
 * `boundOnly` refuses an unbound token (it came with the DPoP scheme).
 */
export async function callerFromBearer(ctx: Context, token: string, client?: ClientInfo, proof?: { jkt: string; boundOnly?: boolean } | null): Promise<BearerResult> {
  const now = ctx.now();
  let p = ctx.verifiedTokens.get(token, now);
  if (!p) {
    const jwt = decodeJwt(token);
    if (!jwt) return { ok: false, reason: "malformed token" };
    if (jwt.header.typ !== "at+jwt") return { ok: false, reason: "not an access token" };
    const key = typeof jwt.header.kid === "string" ? await ctx.keys.findOrReload(jwt.header.kid) : undefined;
    if (!key || !verifyRs256(jwt, key.publicKey)) return { ok: false, reason: "bad signature" };
    p = jwt.payload;
    if (p.iss !== ctx.issuer) return { ok: false, reason: "wrong issuer" };
    if (typeof p.exp !== "number" || p.exp <= now) return { ok: false, reason: "expired" };
    ctx.verifiedTokens.set(token, p);
  }
  // `boundOnly`: the DPoP scheme was used, which only a bound token may use (RFC 9449 §7.1).
  if (p.cnf !== undefined ? !tokenBindingHolds(p.cnf, proof?.jkt) : proof?.boundOnly === true) return { ok: false, reason: DPOP_BINDING_FAILED };
  const ref = decodeSid(p.sid);
  if (!ref || typeof p.sub !== "string") return { ok: false, reason: "malformed claims" };
  // Cache hits come back synchronously; `await` only where I/O really happened.
  const liveOrPending = liveSession(ctx, ref, now);
  const live = liveOrPending instanceof Promise ? await liveOrPending : liveOrPending;
  if (!live || live.userId !== p.sub) return { ok: false, reason: "session ended" };
  const userOrPending = liveUser(ctx, live.userId);
  const user = userOrPending instanceof Promise ? await userOrPending : userOrPending;
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
  const ref: SessionRef = { kind: "idp_session", id: parsed.id };
  const now = ctx.now();
  const liveOrPending = liveSession(ctx, ref, now);
  const s = liveOrPending instanceof Promise ? await liveOrPending : liveOrPending;
  if (!s || !("tokenHash" in s)) return null;
  // A cookie whose secret already matched is remembered (a session's secret never changes), so
  // the hash and comparison are paid once per cookie rather than once per request.
  const cacheKey = `cookie:${cookieValue}`;
  if (!ctx.verifiedTokens.get(cacheKey, now)) {
    if (!safeEqual(s.tokenHash, sha256(parsed.secret))) return null;
    ctx.verifiedTokens.set(cacheKey, { exp: s.expiresAt });
  }
  const userOrPending = liveUser(ctx, s.userId);
  const user = userOrPending instanceof Promise ? await userOrPending : userOrPending;
  if (!user) return null;
  if (s.lastAccessedAt + TOUCH_INTERVAL_SECONDS <= now) await touch(ctx, ref, now, client);
  return { user, session: ref, amr: s.amr, authenticatedAt: s.authenticatedAt, clientId: null, scopes: [] };
}

async function touch(ctx: Context, ref: SessionRef, now: number, client: ClientInfo): Promise<void> {
  const ua = client.userAgent.slice(0, 512);
  if (ref.kind === "idp_session") await ctx.storage.sessions.touch(ref.id, now, client.ip, ua);
  else await ctx.storage.offlineGrants.touch(ref.id, { at: now, ip: client.ip, userAgent: ua });
  ctx.validity.touched(ref, now);
}

function isAlive(ctx: Context, record: SessionRecord, now: number): boolean {
  return record.kind === "idp_session"
    ? isSessionAlive(record.row, ctx.config.session, now)
    : isGrantAlive(record.row, ctx.clients.get(record.row.clientId), now);
}

/** The live row behind a sid from the validity cache (a row that only looks idle is read again); null if none is alive. */
export function liveSession(ctx: Context, ref: SessionRef, now: number): IdpSession | OfflineGrant | null | Promise<IdpSession | OfflineGrant | null> {
  const hit = ctx.validity.peekSession(ref);
  if (hit !== undefined && (hit === null || isAlive(ctx, hit, now) || hit.row.revokedAt !== null)) return hit && isAlive(ctx, hit, now) ? hit.row : null;
  return loadLiveSession(ctx, ref, now);
}

async function loadLiveSession(ctx: Context, ref: SessionRef, now: number): Promise<IdpSession | OfflineGrant | null> {
  let record = await ctx.validity.session(ref);
  // A cached row may look idle only because another node's last-access write is newer: re-read.
  if (record && !isAlive(ctx, record, now) && record.row.revokedAt === null) record = await ctx.validity.session(ref, { fresh: true });
  return record && isAlive(ctx, record, now) ? record.row : null;
}

/** The user from the validity cache; null if missing or disabled. */
export function liveUser(ctx: Context, userId: string): User | null | Promise<User | null> {
  const hit = ctx.validity.peekUser(userId);
  if (hit !== undefined) return hit && !hit.disabled ? hit : null;
  return ctx.validity.user(userId).then((user) => (user && !user.disabled ? user : null));
}
