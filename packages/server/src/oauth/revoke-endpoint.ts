// POST /oauth2/revoke (RFC 7009 §2): 200 whether or not the token was live (§2.2), so the answer
// tells an attacker nothing; a malformed request is still a 400.
import type { Context } from "../context.ts";
import { toParams } from "./params.ts";
import { revokeToken } from "./revoke.ts";
import type { Handler } from "../edge/types.ts";

export function revokeEndpoint(ctx: Context): Handler {
  return async (request) => {
    const params = toParams(request.form(), { redirectable: false });
    await revokeToken(ctx, params.token);
    return { status: 200, headers: { "cache-control": "no-store" }, body: "", clientId: params.client_id };
  };
}
