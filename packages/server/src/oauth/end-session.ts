// GET|POST /oauth2/end_session (OIDC RP-Initiated Logout 1.0): ends the IdP session behind the
// cookie, then redirects only to a registered post_logout_redirect_uri.
import type { Context } from "../context.ts";
import { decodeJwt, verifyRs256 } from "../crypto/jwt.ts";
import { OAuthError } from "./errors.ts";
import type { Params } from "./params.ts";
import { redirectWith } from "./authorize/redirect.ts";

export function endSessionRedirect(ctx: Context, p: Params): string | null {
  const uri = p.post_logout_redirect_uri;
  if (!uri) return null;
  // The hint, when valid, names the client; otherwise the URI must be registered by some client.
  let clients = ctx.clients.all();
  const hintClient = p.client_id ?? idTokenHint(ctx, p.id_token_hint)?.clientId;
  if (hintClient) clients = clients.filter((c) => c.client_id === hintClient);
  if (!clients.some((c) => c.post_logout_redirect_uris.includes(uri))) {
    throw new OAuthError("invalid_request", "post_logout_redirect_uri is not registered", { redirectable: false });
  }
  return redirectWith(uri, { state: p.state });
}

/** The client and user an ID token we issued names; null for a forged or foreign one. An expired hint is fine (the point of logout). */
export function idTokenHint(ctx: Context, hint: string | undefined): { clientId: string | null; userId: string | null } | null {
  if (!hint) return null;
  const jwt = decodeJwt(hint);
  const key = jwt && typeof jwt.header.kid === "string" ? ctx.keys.byKid(jwt.header.kid) : undefined;
  if (!jwt || !key || !verifyRs256(jwt, key.publicKey) || jwt.payload.iss !== ctx.issuer) return null;
  return {
    clientId: typeof jwt.payload.aud === "string" ? jwt.payload.aud : null,
    userId: typeof jwt.payload.sub === "string" ? jwt.payload.sub : null,
  };
}
