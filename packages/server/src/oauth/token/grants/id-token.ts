// Authgear's urn:authgear:params:oauth:grant-type:id-token: a Bearer access token in the
// Authorization header buys a fresh ID token (the SDK's refreshIDToken()).
import { callerFromBearer } from "../../../session/caller.ts";
import { OAuthError } from "../../errors.ts";
import { authenticateClient } from "../client-auth.ts";
import { mintIdToken } from "../../../tokens/mint.ts";
import type { GrantHandler } from "../types.ts";
import { idTokenProfile } from "../issue.ts";

export const idTokenGrant: GrantHandler = {
  grantType: "urn:authgear:params:oauth:grant-type:id-token",
  async handle(ctx, request) {
    const header = request.authorization ?? "";
    const m = /^Bearer ([^\s]+)$/i.exec(header);
    const client = authenticateClient(ctx, { ...request, authorization: undefined });
    if (!m) throw new OAuthError("invalid_request", "a Bearer access token is required");
    // A DPoP-bound access token needs the request's proof by its key (RFC 9449 §7.1).
    const result = await callerFromBearer(ctx, m[1], undefined, request.dpop);
    if (!result.ok) throw new OAuthError("invalid_grant", "the access token is invalid or its session has ended");
    const caller = result.caller;
    if (caller.clientId !== client.client_id) throw new OAuthError("invalid_grant", "the access token was issued to another client");
    const subject = {
      user: caller.user, clientId: client.client_id, scopes: caller.scopes, amr: caller.amr,
      authenticatedAt: caller.authenticatedAt, session: caller.session,
    };
    return { id_token: mintIdToken(ctx.keys, ctx.issuer, subject, { now: ctx.now(), profile: idTokenProfile(ctx, subject) }) };
  },
};
