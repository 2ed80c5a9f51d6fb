// POST /oauth2/token: one handler per grant_type, looked up in a map.
import type { Context } from "../../context.ts";
import { OAuthError } from "../errors.ts";
import { authorizationCodeGrant } from "./grants/authorization-code.ts";
import { idTokenGrant } from "./grants/id-token.ts";
import { refreshTokenGrant } from "./grants/refresh-token.ts";
import { deviceKeyGrants } from "../../device-keys/grants.ts";
import type { GrantHandler, TokenRequest, TokenResponse } from "./types.ts";

const grants = new Map<string, GrantHandler>([authorizationCodeGrant, refreshTokenGrant, idTokenGrant, ...deviceKeyGrants].map((g) => [g.grantType, g]));
export const supportedGrantTypes = [...grants.keys()];

export async function handleTokenRequest(ctx: Context, request: TokenRequest): Promise<TokenResponse> {
  const grantType = request.params.grant_type;
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
  const grant = grants.get(grantType);
  if (!grant) throw new OAuthError("unsupported_grant_type", "this grant_type is not supported");
  const response = await grant.handle(ctx, request);
  ctx.metrics.tokenIssued(grantType);
  return response;
}
