// The state between login steps (TOTP, email verification) lives server-side, behind an HttpOnly
// cookie `<id>.<secret>` (only the secret's SHA-256 is stored): bound to this browser, valid for
// 5 minutes, and consumed when the login completes, so a step can be neither replayed nor moved.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { randomId, randomToken, safeEqual, sha256 } from "../../crypto/secrets.ts";
import { sessionCookieSettings } from "../../session/cookie.ts";
import type { PendingLogin, PendingLoginStage } from "../../domain/account.ts";

export const PENDING_COOKIE = "gh_pending";
export const PENDING_LIFETIME_SECONDS = 300;

export interface NewPending {
  userId: string | null;
  email: string;
  flowId: string | null;
  stage: PendingLoginStage;
  amr: string[];
}

/** Creates the pending login and sets its cookie; returns its id. */
export async function startPending(ctx: Context, reply: FastifyReply, p: NewPending): Promise<string> {
  const now = ctx.now();
  const secret = randomToken();
  const row: PendingLogin = { id: randomId(), secretHash: sha256(secret), ...p, createdAt: now, expiresAt: now + PENDING_LIFETIME_SECONDS, consumedAt: null };
  await ctx.storage.pendingLogins.create(row);
  const secure = sessionCookieSettings(ctx.config).secure;
  reply.setCookie(PENDING_COOKIE, `${row.id}.${secret}`, { path: "/", httpOnly: true, sameSite: "lax", secure, maxAge: PENDING_LIFETIME_SECONDS });
  return row.id;
}

/** The live pending login this browser carries, at `stage`; null if none, expired, used or forged. */
export async function readPending(ctx: Context, request: FastifyRequest, stage: PendingLoginStage): Promise<PendingLogin | null> {
  const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(request.cookies[PENDING_COOKIE] ?? "");
  if (!m) return null;
  const p = await ctx.storage.pendingLogins.get(m[1]);
  if (!p || !safeEqual(p.secretHash, sha256(m[2]))) return null;
  return p.stage === stage && p.consumedAt === null && p.expiresAt > ctx.now() ? p : null;
}

export function clearPending(ctx: Context, reply: FastifyReply): void {
  reply.clearCookie(PENDING_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure: sessionCookieSettings(ctx.config).secure });
}
