// The one place that mints a token response, shared by every grant.
import type { Context } from "../../context.ts";
import { mintAccessToken, mintIdToken, type TokenSubject } from "../../tokens/mint.ts";
import type { Client } from "../clients.ts";
import type { TokenResponse } from "./types.ts";
import { profileClaims } from "../../attributes/profile.ts";
import { releasedScopes } from "../userinfo.ts";
import { hasTokenHooks, tokenHookClaims } from "../../hooks/token-hooks.ts";

/** The profile claims an ID token carries: what userinfo would answer for the same client and scopes. */
export function idTokenProfile(ctx: Context, subject: TokenSubject): Record<string, unknown> {
  return profileClaims(ctx.config.user_profile, subject.user, releasedScopes(subject));
}

/**
 * Synchronous unless oidc.jwt.pre_create / oidc.id_token.pre_create handlers are configured: then
 * they run first (hooks/token-hooks.ts) and their claims go into the tokens.
 */
export function issueTokens(ctx: Context, client: Client, subject: TokenSubject, options: { refreshToken?: string; nonce?: string | null }): TokenResponse | Promise<TokenResponse> {
  if (hasTokenHooks(ctx)) return issueWithHooks(ctx, client, subject, options);
  const now = ctx.now();
  const response: TokenResponse = {
    access_token: mintAccessToken(ctx.keys, ctx.issuer, subject, { now, lifetime: client.access_token_lifetime_seconds }),
    token_type: "Bearer",
    expires_in: client.access_token_lifetime_seconds,
    scope: subject.scopes.join(" "),
  };
  if (options.refreshToken) response.refresh_token = options.refreshToken;
  if (subject.scopes.includes("openid")) response.id_token = mintIdToken(ctx.keys, ctx.issuer, subject, { now, nonce: options.nonce, profile: idTokenProfile(ctx, subject) });
  return response;
}

async function issueWithHooks(ctx: Context, client: Client, subject: TokenSubject, options: { refreshToken?: string; nonce?: string | null }): Promise<TokenResponse> {
  const now = ctx.now();
  const lifetime = client.access_token_lifetime_seconds;
  // What the hook is shown: the claims the token would carry (its jti is drawn again when minted).
  const atClaims = decodeJwtPayload(mintAccessToken(ctx.keys, ctx.issuer, subject, { now, lifetime }));
  const extra = await tokenHookClaims(ctx, "oidc.jwt.pre_create", subject, atClaims);
  const response: TokenResponse = {
    access_token: mintAccessToken(ctx.keys, ctx.issuer, subject, { now, lifetime, extraClaims: extra }),
    token_type: "Bearer",
    expires_in: lifetime,
    scope: subject.scopes.join(" "),
  };
  if (options.refreshToken) response.refresh_token = options.refreshToken;
  if (subject.scopes.includes("openid")) {
    const profile = idTokenProfile(ctx, subject);
    const idClaims = decodeJwtPayload(mintIdToken(ctx.keys, ctx.issuer, subject, { now, nonce: options.nonce, profile }));
    const idExtra = await tokenHookClaims(ctx, "oidc.id_token.pre_create", subject, idClaims);
    response.id_token = mintIdToken(ctx.keys, ctx.issuer, subject, { now, nonce: options.nonce, profile, extraClaims: idExtra });
  }
  return response;
}

const decodeJwtPayload = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8"));
