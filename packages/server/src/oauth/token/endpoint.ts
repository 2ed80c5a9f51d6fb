// POST /oauth2/token: one handler per grant_type, looked up in a map.
import type { Context } from "../../context.ts";
import { OAuthError } from "../errors.ts";
import { authorizationCodeGrant } from "./grants/authorization-code.ts";
import { idTokenGrant } from "./grants/id-token.ts";
import { refreshTokenGrant } from "./grants/refresh-token.ts";
import { settingsActionGrant } from "./grants/settings-action.ts";
import { deviceKeyGrants } from "../../device-keys/grants.ts";
import type { GrantHandler, TokenRequest, TokenResponse } from "./types.ts";
import { verifyProof, type VerifiedProof } from "../../dpop/proof.ts";
import { replayCacheOf } from "../../dpop/replay.ts";
import { ownEndpointTarget } from "../../dpop/request-target.ts";
import { presentedAccessToken } from "../../dpop/resource.ts";

const grants = new Map<string, GrantHandler>([authorizationCodeGrant, refreshTokenGrant, idTokenGrant, settingsActionGrant, ...deviceKeyGrants].map((g) => [g.grantType, g]));
export const supportedGrantTypes = [...grants.keys()];

export async function handleTokenRequest(ctx: Context, request: TokenRequest): Promise<TokenResponse> {
  const grantType = request.params.grant_type;
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
  const grant = grants.get(grantType);
  if (!grant) throw new OAuthError("unsupported_grant_type", "this grant_type is not supported");
  // RFC 9449 §5: a proof, when sent, is checked here for every grant, before the grant reads anything.
  const dpop = request.dpopHeader === undefined ? null : await tokenRequestProof(ctx, request);
  const response = await grant.handle(ctx, { ...request, dpop });
  ctx.metrics.tokenIssued(grantType);
  return response;
}

/** The token request's DPoP proof: POST at our token endpoint; `ath` checked when an access token comes too. */
async function tokenRequestProof(ctx: Context, request: TokenRequest): Promise<VerifiedProof> {
  const accessToken = request.authorization !== undefined ? presentedAccessToken(request.authorization)?.token : undefined;
  return verifyProof(request.dpopHeader ?? "", ownEndpointTarget(ctx, { method: "POST", path: "/oauth2/token" }), {
    now: ctx.now(), replay: replayCacheOf(ctx), accessToken,
  });
}
