// Sign in with Apple. Apple answers with a POST (response_mode=form_post is required once the name or
// email scope is asked for), and its client secret is not a secret string but a short-lived JWT we
// sign (ES256) with the Sign in with Apple private key: iss = team_id, sub = client_id (the Services
// ID), aud = https://appleid.apple.com, kid = key_id.
// https://developer.apple.com/documentation/accountorganizationaldatasharing/creating-a-client-secret
import { importPKCS8, SignJWT } from "jose";
import type { Context } from "../../context.ts";
import type { OAuthProviderConfig } from "../../config/oauth-providers.ts";
import { UpstreamError } from "../http.ts";
import { exchangeCode, secretOf, verifyIdToken } from "./oidc-common.ts";
import { toProfile, withParams, type ProviderKind } from "./types.ts";

export const APPLE_ISSUER = "https://appleid.apple.com";
const AUTHORIZE = "https://appleid.apple.com/auth/authorize";
const TOKEN = "https://appleid.apple.com/auth/token";
const JWKS = "https://appleid.apple.com/auth/keys";
/** Apple accepts up to six months; a few minutes is all one exchange needs. */
const CLIENT_SECRET_SECONDS = 300;

/** The client secret JWT for one token request, signed with the configured .p8 key. */
export async function appleClientSecret(p: OAuthProviderConfig, now: number): Promise<string> {
  let key: CryptoKey;
  try {
    key = await importPKCS8(secretOf(p).trim(), "ES256");
  } catch (err) {
    throw new UpstreamError("invalid_response", `the apple provider ${p.alias}'s client_secret is not a PKCS#8 EC private key (.p8): ${(err as Error).message}`);
  }
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: p.key_id })
    .setIssuer(p.team_id ?? "")
    .setSubject(p.client_id)
    .setAudience(APPLE_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + CLIENT_SECRET_SECONDS)
    .sign(key);
}

/** Apple sends the name only once, on the first sign-in, in the posted `user` JSON. */
function postedName(callback: Record<string, string>): Record<string, unknown> {
  try {
    const user = JSON.parse(callback.user ?? "null") as { name?: { firstName?: unknown; lastName?: unknown } } | null;
    const given = typeof user?.name?.firstName === "string" ? user.name.firstName.slice(0, 200) : undefined;
    const family = typeof user?.name?.lastName === "string" ? user.name.lastName.slice(0, 200) : undefined;
    return { given_name: given, family_name: family, name: [given, family].filter(Boolean).join(" ") || undefined };
  } catch {
    return {};
  }
}

export const apple: ProviderKind = {
  label: "Apple",
  formPost: true,
  async authorizationUrl(_ctx: Context, p, a) {
    return withParams(AUTHORIZE, {
      response_type: "code", response_mode: "form_post", client_id: p.client_id, redirect_uri: a.redirectUri,
      scope: "name email", state: a.state, nonce: a.nonce,
    });
  },
  async profile(ctx, p, x) {
    const tokens = await exchangeCode(ctx, TOKEN, {
      code: x.code, redirectUri: x.redirectUri, clientId: p.client_id, clientSecret: await appleClientSecret(p, ctx.now()), auth: "post",
    });
    if (typeof tokens.id_token !== "string") throw new UpstreamError("invalid_response", "token response has no id_token");
    const claims = await verifyIdToken(ctx, tokens.id_token, { jwksUri: JWKS, clientId: p.client_id, nonce: x.nonce, issuer: (iss) => iss === APPLE_ISSUER });
    return toProfile(p, String(claims.sub), { ...postedName(x.callback), ...claims });
  },
};
