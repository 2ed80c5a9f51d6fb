// The web SDK's anonymous-user APIs (authgear-sdk-js authgear-core/src/client.ts
// signupAnonymousUserWithoutKey L417-441 and anonymousUserPromotionCode L443-458), answered as Authgear's
// pkg/auth/handler/api/anonymous_user_{signup,promotion_code}.go and
// pkg/lib/oauth/handler/handler_anonymous_user.go do:
//  - POST /api/anonymous_user/signup {client_id, session_type, refresh_token?}: cookie mode signs a new
//    anonymous user in with the IdP session cookie (result {}); refresh-token mode answers a token
//    response. Already signed in as an anonymous user: that session goes on. As a normal user: refused.
//  - POST /api/anonymous_user/promotion_code {session_type, refresh_token?}: a one-time code for
//    login_hint=…type=anonymous&promotion_code=….
import type { Context } from "../context.ts";
import type { EdgeRequest, Handler } from "../edge/types.ts";
import type { User } from "../domain/user.ts";
import { accountLimits } from "../account/limits/buckets.ts";
import { createIdpSession } from "../session/idp-sessions.ts";
import { sessionCookieHeader, sessionCookieSettings } from "../session/cookie.ts";
import { issueTokens } from "../oauth/token/issue.ts";
import { ApiError, answerApi, apiResult, invalid, jsonBody } from "./api-response.ts";
import { ANONYMOUS_SCOPES, anonymousEnabled, createAnonymousUser } from "./anonymous-grant.ts";
import { hasFullAccess, issueDeviceKeyTokens } from "./grant-tokens.ts";
import { grantForRefreshToken, userFromSessionCookie } from "./refresh-session.ts";
import { issuePromotionCode } from "./promotion.ts";
import { rfc3339 } from "./challenges.ts";
import { randomUUID } from "node:crypto";

const loggedInAsNormalUser = (): ApiError => new ApiError("Invalid", "Invalid", "user logged in as normal user");

function fields(body: Record<string, unknown>, allowed: string[]): { sessionType: "cookie" | "refresh_token"; get(name: string): string | undefined } {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) invalid(`/${key}`, "additionalProperties", `unknown field ${key.slice(0, 50)}`);
  for (const key of allowed) if (body[key] !== undefined && typeof body[key] !== "string") invalid(`/${key}`, "type", "must be a string");
  if (body.session_type !== "cookie" && body.session_type !== "refresh_token") invalid("/session_type", "enum", "session_type must be cookie or refresh_token");
  return { sessionType: body.session_type as "cookie" | "refresh_token", get: (name) => (body[name] === "" ? undefined : (body[name] as string | undefined)) };
}

async function limitSignup(ctx: Context, request: EdgeRequest): Promise<void> {
  // Each sign-up is a stored user anyone can create: the sign-up limit per IP (Authgear: signup_anonymous.per_ip).
  const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).signupPerIp, request.client.ip, ctx.now());
  if (!limited.ok) throw new ApiError("TooManyRequest", "RateLimited", "request rate limited", { bucket_name: "SignupAnonymousPerIP" });
}

async function newAnonymousUser(ctx: Context): Promise<User> {
  const user = await createAnonymousUser(ctx);
  const now = ctx.now();
  // Web anonymous users have no device key: the row is their anonymous identity (Authgear's, without key).
  await ctx.storage.deviceKeys.create({ id: randomUUID(), userId: user.id, type: "anonymous", keyId: null, jwk: null, deviceInfo: {}, createdAt: now, lastUsedAt: now });
  return user;
}

export function anonymousSignupEndpoint(ctx: Context): Handler {
  return (request) => answerApi(async () => {
    const f = fields(jsonBody(request), ["client_id", "session_type", "refresh_token"]);
    if (!anonymousEnabled(ctx)) throw new ApiError("Invalid", "Invalid", "anonymous user disallowed");
    if (f.sessionType === "cookie") {
      const current = await userFromSessionCookie(ctx, request);
      if (current) {
        if (current.isAnonymous) return apiResult({});
        throw loggedInAsNormalUser();
      }
      await limitSignup(ctx, request);
      const user = await newAnonymousUser(ctx);
      const { cookieValue } = await createIdpSession(ctx, user, [], request.client);
      return apiResult({}, { "set-cookie": sessionCookieHeader(sessionCookieSettings(ctx.config), cookieValue) });
    }
    const clientId = f.get("client_id");
    if (!clientId) invalid("", "required", "client_id is required");
    const client = ctx.clients.get(clientId!);
    if (!client) throw new ApiError("Invalid", "Invalid", "invalid client ID");
    if (!hasFullAccess(client)) {
      throw new ApiError("Invalid", "Invalid", "Anonymous user is not supported by the client application type. Try using SPA, Traditional Web App, or Native App client types if applicable.");
    }
    const refreshToken = f.get("refresh_token");
    if (refreshToken) {
      // Already signed in: a fresh access token for the same grant (not rotated, as Authgear).
      const found = await grantForRefreshToken(ctx, refreshToken);
      if (!found || found.grant.clientId !== client.client_id) throw new ApiError("Invalid", "Invalid", "invalid refresh token");
      if (!found.user.isAnonymous) throw loggedInAsNormalUser();
      return apiResult(await issueTokens(ctx, client, {
        user: found.user, clientId: client.client_id, scopes: found.grant.scopes, amr: found.grant.amr,
        authenticatedAt: found.grant.authenticatedAt, session: { kind: "offline_grant", id: found.grant.id },
      }, {}));
    }
    await limitSignup(ctx, request);
    const user = await newAnonymousUser(ctx);
    return apiResult(await issueDeviceKeyTokens(ctx, client, user, { params: {}, authorization: undefined, client: request.client }, { scopes: ANONYMOUS_SCOPES, amr: [] }));
  });
}

export function promotionCodeEndpoint(ctx: Context): Handler {
  return (request) => answerApi(async () => {
    const f = fields(jsonBody(request), ["session_type", "refresh_token"]);
    let user: User | null;
    if (f.sessionType === "refresh_token") {
      const token = f.get("refresh_token");
      if (!token) throw new ApiError("Unauthorized", "Unauthorized", "authentication required");
      const found = await grantForRefreshToken(ctx, token);
      if (!found) throw new ApiError("Forbidden", "Forbidden", "invalid refresh token");
      if (!found.grant.scopes.includes(ANONYMOUS_SCOPES[2])) throw new ApiError("Forbidden", "Forbidden", "the client is not authorized to have full user access");
      user = found.user;
    } else {
      user = await userFromSessionCookie(ctx, request);
      if (!user) throw new ApiError("Unauthorized", "Unauthorized", "authentication required");
    }
    if (!user.isAnonymous) throw loggedInAsNormalUser();
    const { code, expiresAt } = await issuePromotionCode(ctx, user.id);
    return apiResult({ promotion_code: code, expire_at: rfc3339(expiresAt) });
  });
}
