// urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693) for Authgear's pre-authenticated URLs:
// the native app shows its ID token (subject, carrying sid and ds_hash) and its device secret (actor)
// and gets a short-lived pre-authenticated-URL token for a web client (authgear-sdk-js
// authgear-core/src/container.ts _exchangeForPreAuthenticatedURLToken L725-752). Checks and errors as
// Authgear's handlePreAuthenticatedURLToken (pkg/lib/oauth/handler/handler_token.go).
import type { Context } from "../context.ts";
import { randomToken, safeEqual } from "../crypto/secrets.ts";
import { OAuthError } from "../oauth/errors.ts";
import { PRE_AUTHENTICATED_URL_SCOPE, checkClientScopes, parseScope } from "../oauth/scopes.ts";
import { authenticateClient } from "../oauth/token/client-auth.ts";
import type { GrantHandler } from "../oauth/token/types.ts";
import { isGrantAlive } from "../session/liveness.ts";
import { mintIdToken } from "../tokens/mint.ts";
import { storeOneTimeToken } from "./challenges.ts";
import { deviceSecretMatches, hashDeviceSecret, rotateDeviceSecret } from "./device-secret.ts";
import { verifyOwnIdToken } from "./id-token.ts";

export const PRE_AUTHENTICATED_URL_TOKEN_TYPE = "urn:authgear:params:oauth:token-type:pre-authenticated-url-token";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const DEVICE_SECRET_TYPE = "urn:x-oath:params:oauth:token-type:device-secret";
/** Authgear's PreAuthenticatedURLTokenLifetime (duration.Short). */
export const PRE_AUTHENTICATED_URL_TOKEN_TTL_SECONDS = 300;

export const tokenExchangeGrant: GrantHandler = {
  grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
  async handle(ctx, request) {
    const client = authenticateClient(ctx, request);
    const p = request.params;
    if (p.requested_token_type !== PRE_AUTHENTICATED_URL_TOKEN_TYPE) throw new OAuthError("invalid_request", "requested_token_type not supported");
    if (p.actor_token_type !== DEVICE_SECRET_TYPE) throw new OAuthError("invalid_request", `expected actor_token_type = ${DEVICE_SECRET_TYPE}`);
    if (p.subject_token_type !== ID_TOKEN_TYPE) throw new OAuthError("invalid_request", `expected subject_token_type = ${ID_TOKEN_TYPE}`);
    if (!p.actor_token) throw new OAuthError("invalid_request", "actor_token is required");
    if (!p.subject_token) throw new OAuthError("invalid_request", "subject_token is required");
    const idToken = verifyOwnIdToken(ctx, p.subject_token);
    if (!idToken) throw new OAuthError("invalid_request", "subject_token is not a valid id token");
    if (p.audience !== ctx.issuer) throw new OAuthError("invalid_request", `expected audience to be ${ctx.issuer}`);
    if (!idToken.sid) throw new OAuthError("invalid_grant", "sid in id token (subject_token) is invalid");
    if (idToken.sid.kind !== "offline_grant") throw new OAuthError("invalid_grant", "invalid session type");
    const found = await ctx.storage.offlineGrants.getWithUser(idToken.sid.id);
    const now = ctx.now();
    if (!found || !found.user || found.user.disabled || !isGrantAlive(found.grant, ctx.clients.get(found.grant.clientId), now)) {
      throw new OAuthError("invalid_grant", "sid in id token (subject_token) is invalid");
    }
    const { grant, user } = found;
    if (!grant.scopes.includes(PRE_AUTHENTICATED_URL_SCOPE)) throw new OAuthError("insufficient_scope", "pre-authenticated url is not allowed for this session");
    // Both checks always run, so the time taken says nothing about which failed.
    const dsHash = typeof idToken.payload.ds_hash === "string" ? idToken.payload.ds_hash : "";
    const hashMatches = safeEqual(dsHash, hashDeviceSecret(p.actor_token));
    const bound = await deviceSecretMatches(ctx, grant.id, p.actor_token);
    if (!hashMatches) throw new OAuthError("invalid_grant", "the hash of device_secret (actor_token) does not match ds_hash in id token (subject_token)");
    if (!bound) throw new OAuthError("invalid_grant", "the device_secret (actor_token) does not bind to the session");

    let scopes = grant.scopes;
    if (p.scope) {
      const requested = parseScope(p.scope);
      if (requested.some((s) => !grant.scopes.includes(s))) throw new OAuthError("invalid_scope", "requesting extra scopes is not allowed");
      checkClientScopes(client, requested);
      scopes = requested;
    }
    const token = randomToken();
    await storeOneTimeToken(ctx, token, {
      purpose: "pre_authenticated_url", userId: user.id, ttl: PRE_AUTHENTICATED_URL_TOKEN_TTL_SECONDS,
      data: { grantId: grant.id, clientId: client.client_id, scopes },
    });
    const rotated = await rotateDeviceSecret(ctx, grant.id);
    // A new ID token bound to the new secret, for the next exchange (no profile claims: it is an id_token_hint).
    const idTokenOut = mintIdToken(ctx.keys, ctx.issuer, {
      user, clientId: client.client_id, scopes: [], amr: grant.amr, authenticatedAt: grant.authenticatedAt, session: { kind: "offline_grant", id: grant.id },
    }, { now, profile: { ds_hash: rotated.dsHash } });
    return {
      access_token: token, token_type: "Bearer", issued_token_type: PRE_AUTHENTICATED_URL_TOKEN_TYPE,
      expires_in: PRE_AUTHENTICATED_URL_TOKEN_TTL_SECONDS, device_secret: rotated.deviceSecret, id_token: idTokenOut,
    };
  },
};
