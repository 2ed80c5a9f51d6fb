// /_resolver/resolve for backends and reverse proxies (nginx auth_request). Always 200 with no body;
// the answer is in the x-authgear-* headers. Any method, as Authgear answers any (proxies forward the
// original one). When in doubt — a malformed cookie, an error — the answer is "not valid", never a
// 5xx: behind auth_request a 5xx breaks every page of every app on the domain.
import type { Context } from "../context.ts";
import { clearedSessionCookieHeader, sessionCookieSettings } from "../session/cookie.ts";
import { APP_ACCESS_TOKEN_COOKIE } from "../device-keys/pre-authenticated-url.ts";
import type { EdgeResponse, Handler } from "../edge/types.ts";
import { INVALID } from "./headers.ts";
import { resolveRequest } from "./resolve.ts";
import { resolverTarget } from "../dpop/request-target.ts";

export function resolverEndpoint(ctx: Context): Handler {
  const cookie = sessionCookieSettings(ctx.config);
  const cleared = clearedSessionCookieHeader(cookie);
  return async (request) => {
    // Requests without a DPoP header pay for nothing here (the resolver is a hot path).
    const dpop = request.headers.dpop as string | undefined;
    const result = await resolveRequest(ctx, {
      authorization: request.headers.authorization, sessionCookie: request.cookie(cookie.name), appAccessTokenCookie: request.cookie(APP_ACCESS_TOKEN_COOKIE), client: request.client,
      ...(dpop === undefined ? {} : { dpop, dpopTarget: () => resolverTarget(ctx, request) }),
    });
    const headers: EdgeResponse["headers"] = { ...result.headers, "cache-control": "no-store" };
    // A dead session cookie is cleared, as Authgear does, so browsers stop sending it.
    if (result.clearCookie) headers["set-cookie"] = cleared;
    return { status: 200, headers, body: "" };
  };
}

/** What the resolver answers when something failed unexpectedly (the error itself is logged). */
export const resolverInDoubt = (): EdgeResponse => ({ status: 200, headers: { ...INVALID, "cache-control": "no-store" }, body: "" });
