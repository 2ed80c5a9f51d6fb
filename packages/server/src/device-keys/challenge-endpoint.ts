// POST /oauth2/challenge {purpose} → {"result": {token, expire_at}} (Authgear's
// pkg/auth/handler/oauth/challenge.go; the SDKs call it in authgear-core/src/client.ts oauthChallenge).
import type { Context } from "../context.ts";
import type { Handler } from "../edge/types.ts";
import { answerApi, apiResult, invalid, jsonBody, ApiError } from "./api-response.ts";
import { CHALLENGE_PURPOSES, createChallenge, rfc3339, type ChallengePurpose } from "./challenges.ts";
import { accountLimits } from "../account/limits/buckets.ts";

export function challengeEndpoint(ctx: Context): Handler {
  // Each challenge is a row (or key) for 5 minutes: the token endpoint's per-IP limit bounds how many one address makes.
  const limit = accountLimits(ctx.config).tokenPerIp;
  return (request) => answerApi(async () => {
    const limited = await ctx.rateLimiter.take(limit, `challenge:${request.client.ip}`, ctx.now());
    if (!limited.ok) throw new ApiError("TooManyRequest", "RateLimited", "too many requests", { bucket_name: "OAuthChallenge" });
    const body = jsonBody(request, 1024);
    const purpose = body.purpose;
    if (typeof purpose !== "string") invalid("/purpose", "required", "purpose is required");
    if (!(CHALLENGE_PURPOSES as readonly string[]).includes(purpose as string)) invalid("/purpose", "enum", "unknown challenge purpose");
    const c = await createChallenge(ctx, purpose as ChallengePurpose);
    return apiResult({ token: c.token, expire_at: rfc3339(c.expiresAt) });
  });
}
