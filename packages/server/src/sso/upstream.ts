// One sign-in attempt at an upstream provider: state, nonce and the PKCE verifier are made here,
// kept server-side, and spent once when the provider sends the browser back.
//
// Why the auth_flows table rather than an encrypted cookie: Gatehouse has no symmetric key to seal a
// cookie with (only the RSA signing keys), the PKCE verifier never needs to leave the server, a row
// is single-use by an atomic take() (a cookie can be replayed until it expires), and the sweeper
// already deletes expired rows. The row's id is SHA-256(state), so the state the provider echoes in
// URLs never names a row by itself; an empty client_id marks it as not an authorization request
// (loadAuthFlow refuses such rows). The attempt is bound to the browser that started it by an
// HttpOnly cookie whose secret's hash the row keeps: a state carried to another browser is refused
// (login CSRF, RFC 9700 §4.7).
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import type { OAuthProviderConfig } from "../config/oauth-providers.ts";
import { randomToken, safeEqual, sha256 } from "../crypto/secrets.ts";
import { isFlowId } from "../input/ids.ts";
import { accountLimits } from "../account/limits/buckets.ts";
import { sessionCookieSettings } from "../session/cookie.ts";
import { PROVIDER_KINDS } from "./providers/index.ts";

export const SSO_COOKIE = "gh_sso";
export const CALLBACK_PREFIX = "/sso/oauth2/callback/";
export const ATTEMPT_LIFETIME_SECONDS = 600;

export type Intent = "login" | "signup" | "link";

export interface Attempt {
  alias: string;
  nonce: string;
  codeVerifier: string;
  /** The pending authorization request (`?flow=`) the sign-in continues, if an app is waiting. */
  flowId: string | null;
  intent: Intent;
  /** For `link`: the signed-in user the identity is for. */
  userId: string | null;
  /** For `link` from the link_oauth settings action: the pending action to finish (settings-surface/actions.ts). */
  settingsActionId: string | null;
}

/** Authgear's callback URL, which the operator registers at the provider. */
export const callbackUrl = (ctx: Context, alias: string): string => `${ctx.issuer}${CALLBACK_PREFIX}${encodeURIComponent(alias)}`;

export type StartResult = { ok: true; location: string } | { ok: false; retryAfter: number };

/** Starts an attempt: stores it, sets the binding cookie, and returns where to send the browser. */
export async function startAttempt(
  ctx: Context, reply: FastifyReply, p: OAuthProviderConfig, o: { flowId: string | null; intent: Intent; userId: string | null; ip: string; settingsActionId?: string },
): Promise<StartResult> {
  const now = ctx.now();
  // Each attempt is a row: the same per-IP budget as pending authorization requests bounds them.
  const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).authorizeFlowPerIp, o.ip, now);
  if (!limited.ok) return { ok: false, retryAfter: limited.retryAfter };
  const state = randomToken();
  const nonce = randomToken();
  const codeVerifier = randomToken();
  const binding = randomToken();
  const location = await PROVIDER_KINDS[p.type].authorizationUrl(ctx, p, {
    state, nonce, codeChallenge: sha256(codeVerifier), redirectUri: callbackUrl(ctx, p.alias),
  });
  await ctx.storage.authFlows.create({
    id: sha256(state), clientId: "", createdAt: now, expiresAt: now + ATTEMPT_LIFETIME_SECONDS,
    params: {
      sso_alias: p.alias, sso_nonce: nonce, sso_verifier: codeVerifier, sso_binding: sha256(binding), sso_intent: o.intent,
      ...(o.flowId ? { sso_flow: o.flowId } : {}), ...(o.userId ? { sso_user: o.userId } : {}),
      ...(o.settingsActionId ? { sso_settings_action: o.settingsActionId } : {}),
    },
  });
  reply.setCookie(SSO_COOKIE, binding, {
    path: CALLBACK_PREFIX, httpOnly: true, sameSite: "lax", secure: sessionCookieSettings(ctx.config).secure, maxAge: ATTEMPT_LIFETIME_SECONDS,
  });
  return { ok: true, location };
}

/**
 * Spends the attempt `state` names, if this browser started it, for this alias, in time; null
 * otherwise (unknown, used, expired, another browser's, another provider's). Either way the
 * attempt is gone: a state works once.
 */
export async function takeAttempt(ctx: Context, request: FastifyRequest, alias: string, state: unknown): Promise<Attempt | null> {
  if (!isFlowId(state)) return null;
  const row = await ctx.storage.authFlows.take(sha256(state));
  if (!row || row.clientId !== "" || row.expiresAt <= ctx.now()) return null;
  const p = row.params;
  const binding = request.cookies[SSO_COOKIE];
  if (typeof binding !== "string" || !p.sso_binding || !safeEqual(sha256(binding), p.sso_binding)) return null;
  if (p.sso_alias !== alias || !p.sso_nonce || !p.sso_verifier) return null;
  const intent: Intent = p.sso_intent === "link" ? "link" : p.sso_intent === "signup" ? "signup" : "login";
  return { alias, nonce: p.sso_nonce, codeVerifier: p.sso_verifier, flowId: p.sso_flow ?? null, intent, userId: p.sso_user ?? null, settingsActionId: p.sso_settings_action ?? null };
}

export function clearAttemptCookie(ctx: Context, reply: FastifyReply): void {
  reply.clearCookie(SSO_COOKIE, { path: CALLBACK_PREFIX, httpOnly: true, sameSite: "lax", secure: sessionCookieSettings(ctx.config).secure });
}
