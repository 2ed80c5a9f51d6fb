// The one place that mints a token response, shared by every grant.
import type { Context } from "../../context.ts";
import { accessTokenClaims, idTokenClaims, mintTokens, type TokenSubject } from "../../tokens/mint.ts";
import type { Client } from "../clients.ts";
import type { TokenResponse } from "./types.ts";
import { profileClaims } from "../../attributes/profile.ts";
import { releasedScopes } from "../userinfo.ts";
import type { DeviceSecretIssue } from "../../device-keys/device-secret.ts";
import { hasTokenHooks, tokenHookClaims } from "../../hooks/token-hooks.ts";

/** The profile claims an ID token carries: what userinfo would answer for the same client and scopes. */
export function idTokenProfile(ctx: Context, subject: TokenSubject): Record<string, unknown> {
  return profileClaims(ctx.config.user_profile, subject.user, releasedScopes(subject));
}

/**
 * `dpopJkt`: the DPoP key the access token is bound to (RFC 9449 §5): the token request's proof key
 * (`request.dpop?.jkt`); the answer's token_type is then `DPoP` (the SDKs do not read it).
 * `deviceSecret`/`dsHash`: device SSO (device-keys/device-secret.ts).
 */
export type IssueOptions = { refreshToken?: string; nonce?: string | null; dpopJkt?: string | null } & DeviceSecretIssue;

/**
 * Synchronous unless oidc.jwt.pre_create / oidc.id_token.pre_create handlers are configured: then
 * they run first (hooks/token-hooks.ts) and their claims go into the tokens.
 */
export function issueTokens(ctx: Context, client: Client, subject: TokenSubject, options: IssueOptions): TokenResponse | Promise<TokenResponse> {
  if (hasTokenHooks(ctx)) return issueWithHooks(ctx, client, subject, options);
  return respond(ctx, client, subject, options, ctx.now(), idProfile(ctx, subject, options));
}

function idProfile(ctx: Context, subject: TokenSubject, options: IssueOptions): Record<string, unknown> {
  // Device SSO: the secret's hash goes in every ID token of the grant.
  return options.dsHash ? { ...idTokenProfile(ctx, subject), ds_hash: options.dsHash } : idTokenProfile(ctx, subject);
}

function respond(
  ctx: Context, client: Client, subject: TokenSubject, options: IssueOptions, now: number, profile: Record<string, unknown>,
  extra: { accessToken?: Record<string, unknown>; idToken?: Record<string, unknown> } = {},
): TokenResponse {
  const lifetime = client.access_token_lifetime_seconds;
  const tokens = mintTokens(ctx.keys, ctx.issuer, subject,
    { now, lifetime, dpopJkt: options.dpopJkt, extraClaims: extra.accessToken },
    subject.scopes.includes("openid") ? { now, nonce: options.nonce, profile, extraClaims: extra.idToken } : null);
  const response: TokenResponse = {
    access_token: tokens.accessToken,
    token_type: options.dpopJkt ? "DPoP" : "Bearer",
    expires_in: lifetime,
    scope: subject.scopes.join(" "),
  };
  if (options.refreshToken) response.refresh_token = options.refreshToken;
  if (options.deviceSecret) response.device_secret = options.deviceSecret;
  if (tokens.idToken) response.id_token = tokens.idToken;
  return response;
}

/** The hooks are shown the claims each token would carry (its jti is drawn again when minted). */
async function issueWithHooks(ctx: Context, client: Client, subject: TokenSubject, options: IssueOptions): Promise<TokenResponse> {
  const now = ctx.now();
  const profile = idProfile(ctx, subject, options);
  const atClaims = accessTokenClaims(ctx.issuer, subject, { now, lifetime: client.access_token_lifetime_seconds, dpopJkt: options.dpopJkt });
  const accessToken = await tokenHookClaims(ctx, "oidc.jwt.pre_create", subject, atClaims);
  const idToken = subject.scopes.includes("openid")
    ? await tokenHookClaims(ctx, "oidc.id_token.pre_create", subject, idTokenClaims(ctx.issuer, subject, { now, nonce: options.nonce, profile }))
    : undefined;
  return respond(ctx, client, subject, options, now, profile, { accessToken, idToken });
}
