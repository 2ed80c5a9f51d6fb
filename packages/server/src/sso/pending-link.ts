// account_linking `login_and_link`: the upstream account matched an existing user, who must prove
// they own that account (sign in to it) before the upstream identity joins it. Between the two, the
// verified upstream identity waits server-side (auth_flows, single use, 10 minutes) behind an
// HttpOnly cookie; completeLogin (account/login/complete.ts) links it when — and only when — the
// login that finishes is that very user's.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import { randomToken, sha256 } from "../crypto/secrets.ts";
import { isFlowId } from "../input/ids.ts";
import { sessionCookieSettings } from "../session/cookie.ts";
import { linkToUser, type LinkOutcome } from "./sign-in.ts";

export const LINK_COOKIE = "gh_sso_link";
const LINK_LIFETIME_SECONDS = 600;

export async function holdLink(
  ctx: Context, reply: FastifyReply, o: { alias: string; subject: string; claims: Record<string, unknown>; userId: string },
): Promise<void> {
  const secret = randomToken();
  const now = ctx.now();
  await ctx.storage.authFlows.create({
    id: sha256(secret), clientId: "", createdAt: now, expiresAt: now + LINK_LIFETIME_SECONDS,
    params: { sso_link_alias: o.alias, sso_link_subject: o.subject, sso_link_claims: JSON.stringify(o.claims), sso_link_user: o.userId },
  });
  reply.setCookie(LINK_COOKIE, secret, { path: "/", httpOnly: true, sameSite: "lax", secure: sessionCookieSettings(ctx.config).secure, maxAge: LINK_LIFETIME_SECONDS });
}

/** The alias waiting to be linked in this browser, for the login page's notice (nothing is spent). */
export async function heldAlias(ctx: Context, request: FastifyRequest): Promise<string | null> {
  const secret = request.cookies[LINK_COOKIE];
  if (!isFlowId(secret)) return null;
  const row = await ctx.storage.authFlows.get(sha256(secret));
  return row && row.clientId === "" && row.expiresAt > ctx.now() ? (row.params.sso_link_alias ?? null) : null;
}

/**
 * At the end of a login: links the held identity if this login is the matched user's. Any other
 * user's login spends and drops it (someone else signed in on this browser meanwhile).
 */
export async function finishHeldLink(ctx: Context, request: FastifyRequest, reply: FastifyReply, user: User): Promise<LinkOutcome | null> {
  const secret = request.cookies[LINK_COOKIE];
  if (secret === undefined) return null;
  reply.clearCookie(LINK_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure: sessionCookieSettings(ctx.config).secure });
  if (!isFlowId(secret)) return null;
  const row = await ctx.storage.authFlows.take(sha256(secret));
  if (!row || row.clientId !== "" || row.expiresAt <= ctx.now()) return null;
  const p = row.params;
  if (p.sso_link_user !== user.id || !p.sso_link_alias || !p.sso_link_subject) return null;
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(p.sso_link_claims ?? "{}") as Record<string, unknown>;
  } catch {
    claims = {};
  }
  return linkToUser(ctx, user, p.sso_link_alias, { subject: p.sso_link_subject, claims });
}
