// GET /oauth2/authorize with response_type=urn:authgear:params:oauth:response-type:pre-authenticated-url
// token and response_mode=cookie: the web page a native app opens, already signed in (authgear-sdk-js
// authgear-core/src/container.ts _makePreAuthenticatedURL L757-812). As Authgear's handler_authz.go:
// prompt=none, id_token_hint naming the app's grant, x_pre_authenticated_url_token spent once; the
// web client gets an access token for that grant in the `app_access_token` cookie (which the resolver
// reads), and the browser goes to redirect_uri, which may be any URL on the client's
// x_pre_authenticated_url_allowed_origins.
import type { Context } from "../context.ts";
import type { Client } from "../oauth/clients.ts";
import { OAuthError } from "../oauth/errors.ts";
import type { Params } from "../oauth/params.ts";
import { errorRedirect, redirectWith } from "../oauth/authorize/redirect.ts";
import { isGrantAlive } from "../session/liveness.ts";
import { serializeCookie, sessionCookieSettings } from "../session/cookie.ts";
import { mintAccessToken } from "../tokens/mint.ts";
import { redirectResponse } from "../edge/responses.ts";
import type { EdgeResponse } from "../edge/types.ts";
import { consumeOneTimeToken } from "./challenges.ts";
import { verifyOwnIdToken } from "./id-token.ts";

export const PRE_AUTHENTICATED_URL_RESPONSE_TYPE = "urn:authgear:params:oauth:response-type:pre-authenticated-url token";
/** Authgear's AppAccessTokenCookieDef (pkg/lib/session/cookie.go). */
export const APP_ACCESS_TOKEN_COOKIE = "app_access_token";

function redirectUriFor(client: Client, p: Params): string {
  const uri = p.redirect_uri;
  if (!uri) throw new OAuthError("invalid_request", "redirect_uri is required", { redirectable: false });
  if (client.redirect_uris.includes(uri)) return uri;
  let origin: string;
  try {
    origin = new URL(uri).origin;
  } catch {
    throw new OAuthError("invalid_request", "redirect_uri is not a URL", { redirectable: false });
  }
  if (!client.x_pre_authenticated_url_allowed_origins.includes(origin)) {
    throw new OAuthError("invalid_request", "redirect_uri is not allowed for this client", { redirectable: false });
  }
  return uri;
}

async function accessTokenFor(ctx: Context, client: Client, p: Params): Promise<string> {
  if (p.prompt !== "none") throw new OAuthError("invalid_request", "only 'prompt=none' is supported when using pre-authenticated url");
  if (!p.id_token_hint) throw new OAuthError("invalid_request", "id_token_hint is required when using pre-authenticated url");
  if (!p.x_pre_authenticated_url_token) throw new OAuthError("invalid_request", "x_pre_authenticated_url_token is required when using pre-authenticated url");
  if (p.response_mode !== "cookie") throw new OAuthError("invalid_request", "only 'response_mode=cookie' is supported when using pre-authenticated url");
  const hint = verifyOwnIdToken(ctx, p.id_token_hint);
  if (!hint) throw new OAuthError("invalid_request", "invalid id_token_hint");
  if (!hint.sid) throw new OAuthError("invalid_request", "required sid in id_token_hint");
  const token = await consumeOneTimeToken(ctx, p.x_pre_authenticated_url_token, "pre_authenticated_url");
  if (!token?.data) throw new OAuthError("invalid_request", "invalid x_pre_authenticated_url_token");
  if (token.data.clientId !== client.client_id) throw new OAuthError("invalid_request", "incorrect client_id");
  if (token.data.grantId !== hint.sid.id) throw new OAuthError("invalid_request", "incorrect sid in id_token_hint");
  const found = await ctx.storage.offlineGrants.getWithUser(hint.sid.id);
  const now = ctx.now();
  if (!found?.user || found.user.disabled || !isGrantAlive(found.grant, ctx.clients.get(found.grant.clientId), now)) {
    throw new OAuthError("invalid_request", "invalid x_pre_authenticated_url_token");
  }
  return mintAccessToken(ctx.keys, ctx.issuer, {
    user: found.user, clientId: client.client_id, scopes: token.data.scopes as string[], amr: found.grant.amr,
    authenticatedAt: found.grant.authenticatedAt, session: { kind: "offline_grant", id: found.grant.id },
  }, { now, lifetime: client.access_token_lifetime_seconds });
}

export async function preAuthenticatedUrl(ctx: Context, p: Params): Promise<EdgeResponse> {
  const client = p.client_id ? ctx.clients.get(p.client_id) : undefined;
  if (!client) throw new OAuthError("unauthorized_client", "invalid client ID", { redirectable: false });
  const redirectUri = redirectUriFor(client, p);
  try {
    const accessToken = await accessTokenFor(ctx, client, p);
    const c = sessionCookieSettings(ctx.config);
    const cookie = serializeCookie(APP_ACCESS_TOKEN_COOKIE, accessToken, {
      path: "/", domain: c.domain, secure: c.secure, httpOnly: true, sameSite: "lax", maxAge: client.access_token_lifetime_seconds,
    });
    return { ...redirectResponse(redirectWith(redirectUri, { state: p.state }), { "set-cookie": cookie }), clientId: client.client_id };
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    return { ...redirectResponse(errorRedirect(redirectUri, err, p.state ?? null, ctx.issuer)), clientId: client.client_id };
  }
}
