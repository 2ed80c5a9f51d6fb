// POST /oauth2/token (RFC 6749 §3.2) as an edge endpoint. The refresh grant is the hot path of every
// SPA: its cost should be the two RS256 signatures, not the work around them.
import type { Context } from "../../context.ts";
import { OAuthError } from "../errors.ts";
import { toParams } from "../params.ts";
import { handleTokenRequest } from "./endpoint.ts";
import { accountLimits } from "../../account/limits/buckets.ts";
import { jsonResponse, oauthErrorResponse } from "../../edge/responses.ts";
import type { Handler } from "../../edge/types.ts";

export function tokenEndpoint(ctx: Context): Handler {
  const limit = accountLimits(ctx.config).tokenPerIp;
  return async (request) => {
    // Per-IP request limit (120/min by default); RFC 6749 has no code for it, slow_down (RFC 8628) says it best.
    const limited = await ctx.rateLimiter.take(limit, request.client.ip, ctx.now());
    if (!limited.ok) return jsonResponse(429, '{"error":"slow_down","error_description":"too many requests"}', { "retry-after": String(Math.max(1, limited.retryAfter)) });
    const params = toParams(request.form(), { redirectable: false });
    try {
      const result = await handleTokenRequest(ctx, { params, authorization: request.headers.authorization, client: request.client, dpopHeader: request.headers.dpop as string | undefined });
      return { ...jsonResponse(200, result), clientId: params.client_id };
    } catch (err) {
      if (err instanceof OAuthError) return { ...oauthErrorResponse(err), clientId: params.client_id };
      throw err;
    }
  };
}
