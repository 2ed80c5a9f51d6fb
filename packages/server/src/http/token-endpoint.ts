// POST /oauth2/token as plain data. Served by the fast lane: the refresh grant is the hot path of
// every SPA and its cost should be the two RS256 signatures, not the framework around them.
import type { Context } from "../context.ts";
import { OAuthError } from "../oauth/errors.ts";
import { requireFormBody, toParams } from "../oauth/params.ts";
import { handleTokenRequest } from "../oauth/token/endpoint.ts";
import { parseFormStrict } from "../account/ui/form.ts";
import { accountLimits } from "../account/limits/buckets.ts";
import type { ClientInfo } from "../session/idp-sessions.ts";
import type { PlainResponse } from "./plain-response.ts";
import { oauthErrorResponse } from "./respond.ts";

export interface TokenHttpRequest {
  contentType: string | undefined;
  body: string;
  authorization: string | undefined;
  client: ClientInfo;
}

const JSON_NO_STORE = { "cache-control": "no-store", pragma: "no-cache", "content-type": "application/json" };

export function createTokenEndpoint(ctx: Context): (request: TokenHttpRequest) => Promise<PlainResponse> {
  const limit = accountLimits(ctx.config).tokenPerIp;
  return async (request) => {
    // Per-IP request limit (120/min by default); RFC 6749 has no code for it, slow_down (RFC 8628) says it best.
    const limited = await ctx.rateLimiter.take(limit, request.client.ip, ctx.now());
    if (!limited.ok) {
      return { status: 429, headers: { ...JSON_NO_STORE, "retry-after": String(Math.max(1, limited.retryAfter)) }, body: '{"error":"slow_down","error_description":"too many requests"}' };
    }
    try {
      requireFormBody(request.contentType);
      let form: Record<string, string | string[]>;
      try {
        form = parseFormStrict(request.body);
      } catch {
        throw new OAuthError("invalid_request", "malformed request");
      }
      const result = await handleTokenRequest(ctx, { params: toParams(form), authorization: request.authorization, client: request.client });
      return { status: 200, headers: JSON_NO_STORE, body: JSON.stringify(result) };
    } catch (err) {
      if (err instanceof OAuthError) return oauthErrorResponse(err);
      throw err;
    }
  };
}
