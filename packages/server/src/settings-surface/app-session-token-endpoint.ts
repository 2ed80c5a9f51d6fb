// POST /oauth2/app_session_token (Authgear's pkg/auth/handler/oauth/app_session_token.go): JSON
// `{refresh_token}` → `{"result": {app_session_token, expire_at}}`. Errors in Authgear's envelope:
// a body that is not `{refresh_token: string}` is 400 Invalid; a refresh token that does not buy
// one is 403 Forbidden with the OAuth error as its message, as Authgear words it.
import type { Context } from "../context.ts";
import type { Handler } from "../edge/types.ts";
import { accountLimits } from "../account/limits/buckets.ts";
import { apiError, apiResult, invalidBody, readJsonObject } from "../http/authgear-api.ts";
import { issueAppSessionToken } from "./app-session-token.ts";
import { verifyProof, type VerifiedProof } from "../dpop/proof.ts";
import { replayCacheOf } from "../dpop/replay.ts";
import { ownEndpointTarget } from "../dpop/request-target.ts";
import { OAuthError } from "../oauth/errors.ts";

export function appSessionTokenEndpoint(ctx: Context): Handler {
  // The token endpoint's per-IP budget: this endpoint looks refresh tokens up just as often.
  const limit = accountLimits(ctx.config).tokenPerIp;
  return async (request) => {
    const limited = await ctx.rateLimiter.take(limit, request.client.ip, ctx.now());
    if (!limited.ok) return { ...apiError("TooManyRequest", "RateLimited", "request rate limited"), headers: { "content-type": "application/json", "cache-control": "no-store", "retry-after": String(Math.max(1, limited.retryAfter)) } };
    const body = readJsonObject(request.headers["content-type"], request.bodyText());
    if (!body.ok) return body.response;
    const extra = Object.keys(body.value).filter((k) => k !== "refresh_token");
    if (extra.length > 0) return invalidBody([{ kind: "additionalProperties", location: "", details: { property: extra[0].slice(0, 100) } }]);
    const refreshToken = body.value.refresh_token;
    if (refreshToken === undefined) return invalidBody([{ kind: "required", location: "", details: { missing: ["refresh_token"] } }]);
    if (typeof refreshToken !== "string") return invalidBody([{ kind: "type", location: "/refresh_token", details: { expected: ["string"] } }]);
    // The native SDKs send a DPoP proof with this request (a bound refresh token needs one).
    let proof: VerifiedProof | null = null;
    const dpopHeader = request.headers.dpop;
    if (dpopHeader !== undefined) {
      try {
        proof = await verifyProof(Array.isArray(dpopHeader) ? dpopHeader.join(",") : dpopHeader, ownEndpointTarget(ctx, { method: "POST", path: request.path }), { now: ctx.now(), replay: replayCacheOf(ctx) });
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        return apiError("BadRequest", "InvalidDPoPProof", `${err.error}: ${err.description}`);
      }
    }
    const issued = await issueAppSessionToken(ctx, refreshToken, proof);
    if (!issued.ok) return apiError("Forbidden", "Forbidden", `${issued.error}: ${issued.description}`);
    return apiResult({ app_session_token: issued.token, expire_at: new Date(issued.expiresAt * 1000).toISOString() });
  };
}
