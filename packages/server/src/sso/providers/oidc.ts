// The generic OpenID Connect provider (Gatehouse's own; Authgear's nearest is `adfs`): any issuer
// with a discovery document. Google and Azure AD are this path with their own discovery URL,
// subject and issuer rules (google.ts, azureadv2.ts).
import type { JWTPayload } from "jose";
import type { OAuthProviderConfig } from "../../config/oauth-providers.ts";
import { discover, exchangeCode, secretOf, tokenAuthMethod, verifyIdToken, type DiscoveryDocument } from "./oidc-common.ts";
import type { Context } from "../../context.ts";
import { UpstreamError, upstreamJson } from "../http.ts";
import { toProfile, withParams, type ProviderKind } from "./types.ts";

export interface OidcRules {
  label: string;
  discoveryUrl(p: OAuthProviderConfig): string;
  /** Whether `iss` of an ID token is this provider (default: equal to the discovery document's issuer). */
  issuer?(iss: string, claims: JWTPayload, doc: DiscoveryDocument): boolean;
  /** The claim holding the stable user id (default `sub`). */
  subjectClaim?: string;
  /** Extra authorization parameters. */
  extraParams?: Record<string, string>;
}

export function oidcKind(rules: OidcRules): ProviderKind {
  return {
    label: rules.label,
    formPost: false,
    async authorizationUrl(ctx, p, a) {
      const doc = await discover(ctx, rules.discoveryUrl(p));
      return withParams(doc.authorization_endpoint, {
        response_type: "code", client_id: p.client_id, redirect_uri: a.redirectUri, scope: "openid profile email",
        state: a.state, nonce: a.nonce, code_challenge: a.codeChallenge, code_challenge_method: "S256", ...rules.extraParams,
      });
    },
    async profile(ctx, p, x) {
      const doc = await discover(ctx, rules.discoveryUrl(p));
      // RFC 9207 §2.4: a provider that names itself in the response must name the one we asked
      // (mix-up defence). Templated issuers (Azure's {tenantid}) are checked on the ID token instead.
      if (x.callback.iss !== undefined && !doc.issuer.includes("{") && x.callback.iss !== doc.issuer) {
        throw new UpstreamError("invalid_token", "the authorization response's iss is not the provider's issuer");
      }
      const tokens = await exchangeCode(ctx, doc.token_endpoint, {
        code: x.code, redirectUri: x.redirectUri, clientId: p.client_id, clientSecret: secretOf(p), codeVerifier: x.codeVerifier, auth: tokenAuthMethod(doc),
      });
      if (typeof tokens.id_token !== "string") throw new UpstreamError("invalid_response", "token response has no id_token");
      const claims = await verifyIdToken(ctx, tokens.id_token, {
        jwksUri: doc.jwks_uri, clientId: p.client_id, nonce: x.nonce,
        issuer: (iss, c) => (rules.issuer ? rules.issuer(iss, c, doc) : iss === doc.issuer),
      });
      const subject = claims[rules.subjectClaim ?? "sub"];
      if (typeof subject !== "string" || subject === "") throw new UpstreamError("invalid_token", `ID token has no ${rules.subjectClaim ?? "sub"}`);
      return toProfile(p, subject, { ...(await userinfoClaims(ctx, doc, tokens.access_token, claims)), ...claims });
    },
  };
}

/**
 * Many providers put the profile claims only in userinfo when an access token is issued (OIDC Core
 * §5.4). They are read from there when the ID token lacks the email, and kept only if userinfo's
 * `sub` is the ID token's (§5.3.2: otherwise they may be another user's).
 */
async function userinfoClaims(ctx: Context, doc: DiscoveryDocument, accessToken: string, idClaims: JWTPayload): Promise<Record<string, unknown>> {
  if (idClaims.email !== undefined || !doc.userinfo_endpoint) return {};
  const info = await upstreamJson(ctx, doc.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  return info.sub === idClaims.sub ? info : {};
}

export const oidc: ProviderKind = oidcKind({
  label: "OpenID Connect",
  discoveryUrl: (p) => p.discovery_document_endpoint ?? "",
});
