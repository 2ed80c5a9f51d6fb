import type { Context } from "../../context.ts";
import type { ClientInfo } from "../../session/idp-sessions.ts";
import type { Params } from "../params.ts";
import type { VerifiedProof } from "../../dpop/proof.ts";

export interface TokenRequest {
  params: Params;
  /** The Authorization header, if any: client credentials (Basic) or a bearer token (id-token grant). */
  authorization: string | undefined;
  client: ClientInfo;
  /** The `DPoP` header as received (RFC 9449 §4); endpoint.ts verifies it once for every grant. */
  dpopHeader?: string;
  /**
   * The verified proof, set by endpoint.ts before the grant runs; null without a DPoP header. A
   * grant binds what it issues to `dpop.jkt` and checks bound codes/grants with requireBoundKey.
   */
  dpop?: VerifiedProof | null;
}

export interface TokenResponse {
  access_token?: string;
  token_type?: "Bearer" | "DPoP";
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
  /** Device SSO: the grant's new device secret (Authgear's device_secret). */
  device_secret?: string;
  /** Token exchange (RFC 8693 §2.2.1). */
  issued_token_type?: string;
}

export interface GrantHandler {
  readonly grantType: string;
  handle(ctx: Context, request: TokenRequest): Promise<TokenResponse>;
}
