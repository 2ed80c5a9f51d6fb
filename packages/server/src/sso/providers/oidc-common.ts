// The OpenID Connect half every OIDC provider shares: discovery (OIDC Discovery §4), the code
// exchange (RFC 6749 §4.1.3 with the PKCE verifier, RFC 7636 §4.5), and the ID token checks of
// OIDC Core §3.1.3.7 — signature against the provider's JWKS, iss, aud, exp, and the nonce we sent.
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import type { Context } from "../../context.ts";
import type { OAuthProviderConfig } from "../../config/oauth-providers.ts";
import { UpstreamError, upstreamJson } from "../http.ts";

export interface DiscoveryDocument {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  token_endpoint_auth_methods_supported?: string[];
}

const CACHE_SECONDS = 600;
const discoveries = new Map<string, { doc: DiscoveryDocument; until: number }>();
const keySets = new Map<string, { jwks: ReturnType<typeof createLocalJWKSet>; until: number }>();

const isUrl = (v: unknown): v is string => {
  if (typeof v !== "string") return false;
  try {
    return ["https:", "http:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
};

/** The provider's discovery document, cached for ten minutes per URL. */
export async function discover(ctx: Context, url: string): Promise<DiscoveryDocument> {
  const hit = discoveries.get(url);
  if (hit && hit.until > ctx.now()) return hit.doc;
  const raw = await upstreamJson(ctx, url);
  for (const field of ["authorization_endpoint", "token_endpoint", "jwks_uri"] as const) {
    if (!isUrl(raw[field])) throw new UpstreamError("invalid_response", `discovery document ${url} has no ${field}`);
  }
  if (typeof raw.issuer !== "string" || raw.issuer === "") throw new UpstreamError("invalid_response", `discovery document ${url} has no issuer`);
  const doc = raw as unknown as DiscoveryDocument;
  discoveries.set(url, { doc, until: ctx.now() + CACHE_SECONDS });
  return doc;
}

async function keySet(ctx: Context, uri: string, fresh: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
  const hit = keySets.get(uri);
  if (hit && !fresh && hit.until > ctx.now()) return hit.jwks;
  const raw = await upstreamJson(ctx, uri);
  if (!Array.isArray(raw.keys)) throw new UpstreamError("invalid_response", `${uri} is not a JWK set`);
  const jwks = createLocalJWKSet(raw as unknown as JSONWebKeySet);
  keySets.set(uri, { jwks, until: ctx.now() + CACHE_SECONDS });
  return jwks;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  id_token?: string;
}

/**
 * Exchanges the code at the token endpoint. `basic` sends the client credentials in the Authorization
 * header (RFC 6749 §2.3.1, the default of OIDC's client_secret_basic), `post` in the body.
 */
export async function exchangeCode(
  ctx: Context, tokenEndpoint: string,
  o: { code: string; redirectUri: string; clientId: string; clientSecret: string; codeVerifier?: string; auth: "basic" | "post" },
): Promise<TokenResponse> {
  const form: Record<string, string> = { grant_type: "authorization_code", code: o.code, redirect_uri: o.redirectUri };
  if (o.codeVerifier) form.code_verifier = o.codeVerifier;
  const headers: Record<string, string> = {};
  if (o.auth === "basic") {
    const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, "+");
    headers.authorization = `Basic ${Buffer.from(`${enc(o.clientId)}:${enc(o.clientSecret)}`).toString("base64")}`;
  } else {
    form.client_id = o.clientId;
    form.client_secret = o.clientSecret;
  }
  const body = await upstreamJson(ctx, tokenEndpoint, { form, headers });
  // GitHub answers a bad code with 200 and an error body.
  if (typeof body.error === "string") throw new UpstreamError("refused", `token endpoint answered ${body.error.slice(0, 100)}`);
  if (typeof body.access_token !== "string" || body.access_token === "") throw new UpstreamError("invalid_response", "token response has no access_token");
  return body as unknown as TokenResponse;
}

/** The auth method for a discovered token endpoint: basic unless the provider lists only post. */
export function tokenAuthMethod(doc: DiscoveryDocument): "basic" | "post" {
  const methods = doc.token_endpoint_auth_methods_supported;
  return !methods || methods.includes("client_secret_basic") || !methods.includes("client_secret_post") ? "basic" : "post";
}

const ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/**
 * OIDC Core §3.1.3.7: the ID token is signed by a key of the provider's JWKS (a key rotated since the
 * last fetch is fetched once more), names the provider as `iss` (`issuer` decides, for Azure's
 * multi-tenant templates), us as `aud`, is unexpired, and carries the nonce this attempt sent.
 */
export async function verifyIdToken(
  ctx: Context, idToken: string,
  o: { jwksUri: string; issuer: (iss: string, claims: JWTPayload) => boolean; clientId: string; nonce: string },
): Promise<JWTPayload> {
  const verify = async (fresh: boolean): Promise<JWTPayload> => {
    const jwks = await keySet(ctx, o.jwksUri, fresh);
    const { payload } = await jwtVerify(idToken, jwks, {
      audience: o.clientId, algorithms: ID_TOKEN_ALGORITHMS, currentDate: new Date(ctx.now() * 1000), clockTolerance: 60,
      requiredClaims: ["iss", "sub", "exp", "iat"],
    });
    return payload;
  };
  let claims: JWTPayload;
  try {
    claims = await verify(false).catch((err: unknown) => {
      if (err instanceof joseErrors.JWKSNoMatchingKey) return verify(true);
      throw err;
    });
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    if (err instanceof joseErrors.JOSEError) throw new UpstreamError("invalid_token", `ID token refused: ${err.code} ${err.message}`);
    throw err;
  }
  if (!o.issuer(String(claims.iss), claims)) throw new UpstreamError("invalid_token", `ID token issuer ${String(claims.iss).slice(0, 200)} is not the provider's`);
  // §3.1.3.7 item 3: with several audiences, azp must be us.
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== o.clientId) throw new UpstreamError("invalid_token", "ID token azp is not our client_id");
  if (claims.nonce !== o.nonce) throw new UpstreamError("invalid_token", "ID token nonce does not match this sign-in attempt");
  return claims;
}

/** The client secret a provider was configured with (validated at start-up: always present). */
export const secretOf = (p: OAuthProviderConfig): string => p.client_secret ?? "";
