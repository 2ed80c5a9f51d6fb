import type { Context } from "../../context.ts";
import type { ClientInfo } from "../../session/idp-sessions.ts";
import type { Params } from "../params.ts";

export interface TokenRequest {
  params: Params;
  /** The Authorization header, if any: client credentials (Basic) or a bearer token (id-token grant). */
  authorization: string | undefined;
  client: ClientInfo;
}

export interface TokenResponse {
  access_token?: string;
  token_type?: "Bearer";
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

export interface GrantHandler {
  readonly grantType: string;
  handle(ctx: Context, request: TokenRequest): Promise<TokenResponse>;
}
