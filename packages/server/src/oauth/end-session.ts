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
  const hintClient = p.client_id ?? clientFromIdTokenHint(ctx, p.id_token_hint);
  if (hintClient) clients = clients.filter((c) => c.client_id === hintClient);
  if (!clients.some((c) => c.post_logout_redirect_uris.includes(uri))) {
    throw new OAuthError("invalid_request", "post_logout_redirect_uri is not registered", { redirectable: false });
  }
  return redirectWith(uri, { state: p.state });
}

function clientFromIdTokenHint(ctx: Context, hint: string | undefined): string | null {
  if (!hint) return null;
  const jwt = decodeJwt(hint);
  const key = jwt && typeof jwt.header.kid === "string" ? ctx.keys.byKid(jwt.header.kid) : undefined;
  // An expired hint is fine (the point of logout); a forged one is ignored.
  if (!jwt || !key || !verifyRs256(jwt, key.publicKey) || jwt.payload.iss !== ctx.issuer) return null;
  return typeof jwt.payload.aud === "string" ? jwt.payload.aud : null;
}
