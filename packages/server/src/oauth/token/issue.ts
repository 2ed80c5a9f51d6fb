// The one place that mints a token response, shared by every grant.
import type { Context } from "../../context.ts";
import { mintAccessToken, mintIdToken, type TokenSubject } from "../../tokens/mint.ts";
import type { Client } from "../clients.ts";
import type { TokenResponse } from "./types.ts";
import { profileClaims } from "../../attributes/profile.ts";
import { releasedScopes } from "../userinfo.ts";
import type { DeviceSecretIssue } from "../../device-keys/device-secret.ts";

/** The profile claims an ID token carries: what userinfo would answer for the same client and scopes. */
export function idTokenProfile(ctx: Context, subject: TokenSubject): Record<string, unknown> {
  return profileClaims(ctx.config.user_profile, subject.user, releasedScopes(subject));
}

/**
 * `dpopJkt`: the DPoP key the access token is bound to (RFC 9449 §5): the token request's proof key
 * (`request.dpop?.jkt`). The answer's token_type is then `DPoP`; the SDKs do not read it.
 */
export function issueTokens(ctx: Context, client: Client, subject: TokenSubject, options: { refreshToken?: string; nonce?: string | null; dpopJkt?: string | null } & DeviceSecretIssue): TokenResponse {
  const now = ctx.now();
  const response: TokenResponse = {
    access_token: mintAccessToken(ctx.keys, ctx.issuer, subject, { now, lifetime: client.access_token_lifetime_seconds, dpopJkt: options.dpopJkt }),
    token_type: options.dpopJkt ? "DPoP" : "Bearer",
    expires_in: client.access_token_lifetime_seconds,
    scope: subject.scopes.join(" "),
  };
  if (options.refreshToken) response.refresh_token = options.refreshToken;
  // Device SSO (device-keys/device-secret.ts): the secret once, its hash in every ID token of the grant.
  if (options.deviceSecret) response.device_secret = options.deviceSecret;
  const profile = options.dsHash ? { ...idTokenProfile(ctx, subject), ds_hash: options.dsHash } : idTokenProfile(ctx, subject);
  if (subject.scopes.includes("openid")) response.id_token = mintIdToken(ctx.keys, ctx.issuer, subject, { now, nonce: options.nonce, profile });
  return response;
}
