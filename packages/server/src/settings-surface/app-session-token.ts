// App session tokens (Authgear's pkg/lib/oauth/app_session_token.go): the holder of a refresh token
// trades it, without spending it, for a 5-minute single-use token; the browser the app opens then
// presents that token as login_hint and gets a browser session of the same user. Only the token's
// SHA-256 is stored; taking it deletes it (one DELETE … RETURNING), so it works once.
import type { Context } from "../context.ts";
import { randomToken, safeEqual, sha256 } from "../crypto/secrets.ts";
import type { VerifiedProof } from "../dpop/proof.ts";
import type { User } from "../domain/user.ts";
import type { OfflineGrant } from "../domain/session.ts";
import { matchRefreshToken, parseRefreshToken } from "../oauth/token/refresh-token-format.ts";
import { FULL_ACCESS_SCOPE } from "../oauth/scopes.ts";
import { isGrantAlive } from "../session/liveness.ts";
import { createIdpSession, type ClientInfo } from "../session/idp-sessions.ts";

/** Authgear's duration.Short. */
export const APP_SESSION_TOKEN_LIFETIME_SECONDS = 300;

export type IssueResult =
  | { ok: true; token: string; expiresAt: number }
  /** `error` as Authgear's OAuth error would read (its message is `<error>: <description>`). */
  | { ok: false; error: "invalid_grant" | "access_denied" | "invalid_dpop_proof"; description: string };

/** The live grant and user a refresh token names, with the same checks as the refresh grant (no rotation, no use recorded). */
async function liveGrant(ctx: Context, grantId: string, now: number): Promise<{ grant: OfflineGrant; user: User } | null> {
  const found = await ctx.storage.offlineGrants.getWithUser(grantId);
  if (!found || !found.user || found.user.disabled) return null;
  const client = ctx.clients.get(found.grant.clientId);
  if (!client || !isGrantAlive(found.grant, client, now)) return null;
  return { grant: found.grant, user: found.user };
}

/** `proof`: the request's verified DPoP proof, if it sent one; a DPoP-bound refresh token needs one by its key. */
export async function issueAppSessionToken(ctx: Context, refreshToken: string, proof: VerifiedProof | null = null): Promise<IssueResult> {
  const now = ctx.now();
  const parsed = parseRefreshToken(refreshToken);
  const live = parsed ? await liveGrant(ctx, parsed.grantId, now) : null;
  // Only the current token: a rotated-away one (even within the refresh grace window) buys nothing here.
  if (!parsed || !live || matchRefreshToken(live.grant, sha256(parsed.secret)) !== "current") {
    return { ok: false, error: "invalid_grant", description: "invalid refresh token" };
  }
  // As Authgear: only a first-party app, holding full access to the user, may open the user's browser session.
  // RFC 9449 §5: a bound refresh token buys nothing without a proof by its key, here as at /oauth2/token.
  if (live.grant.dpopJkt != null && (!proof || !safeEqual(proof.jkt, live.grant.dpopJkt))) {
    return { ok: false, error: "invalid_dpop_proof", description: "this refresh token is bound to a DPoP key: a DPoP proof by that key is required" };
  }
  if (!live.grant.scopes.includes(FULL_ACCESS_SCOPE)) {
    return { ok: false, error: "access_denied", description: "the client is not authorized to have full user access" };
  }
  const token = randomToken();
  const expiresAt = now + APP_SESSION_TOKEN_LIFETIME_SECONDS;
  await ctx.storage.appSessionTokens.create({ tokenHash: sha256(token), offlineGrantId: live.grant.id, userId: live.user.id, createdAt: now, expiresAt });
  return { ok: true, token, expiresAt };
}

/**
 * Spends an app session token presented by `clientId`'s authorization request: a new browser
 * session of the grant's user, with the app's login time and factors, ending no later than the
 * grant. Null when the token is unknown, used, expired, another client's, or its grant ended.
 */
export async function exchangeAppSessionToken(ctx: Context, token: string, o: { clientId: string; client: ClientInfo }): Promise<{ user: User; cookieValue: string } | null> {
  // Tokens are 43 base64url characters (randomToken): anything else is not looked up.
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const now = ctx.now();
  const row = await ctx.storage.appSessionTokens.take(sha256(token), now);
  if (!row) return null;
  const live = await liveGrant(ctx, row.offlineGrantId, now);
  if (!live || live.grant.clientId !== o.clientId || live.user.id !== row.userId) return null;
  const { cookieValue } = await createIdpSession(ctx, live.user, live.grant.amr, o.client, {
    authenticatedAt: live.grant.authenticatedAt, expiresAt: live.grant.expiresAt, parentGrantId: live.grant.id,
  });
  return { user: live.user, cookieValue };
}
