// GET|POST /oauth2/userinfo (OIDC Core §5.3). The access token comes in the Authorization header
// (RFC 6750 §2.1) or, on POST, as `access_token` in a form body (§2.2); without one, the session
// cookie (Authgear's cookie mode). Failures are `invalid_token` with a WWW-Authenticate challenge
// (§3.1), never a grant error.
import type { Context } from "../context.ts";
import { callerFromBearer, callerFromCookie, DPOP_BINDING_FAILED, type Caller } from "../session/caller.ts";
import { OAuthError } from "./errors.ts";
import { dpopChallenge, presentedAccessToken, resourceProof, type PresentedToken } from "../dpop/resource.ts";
import { ownEndpointTarget } from "../dpop/request-target.ts";
import { sessionCookieSettings } from "../session/cookie.ts";
import { jsonResponse } from "../edge/responses.ts";
import type { EdgeRequest, EdgeResponse, Handler } from "../edge/types.ts";
import { userinfoClaims } from "./userinfo.ts";

function unauthorized(error: "invalid_token" | "invalid_request", description: string): EdgeResponse {
  return jsonResponse(error === "invalid_request" ? 400 : 401, { error, error_description: description }, {
    "www-authenticate": `Bearer error="${error}", error_description="${description}"`,
  });
}

/** A DPoP failure (RFC 9449 §7.1): 401 with a DPoP challenge. */
function dpopUnauthorized(error: "invalid_token" | "invalid_dpop_proof", description: string): EdgeResponse {
  return jsonResponse(401, { error, error_description: description }, { "www-authenticate": dpopChallenge(error, description) });
}

/** The token from the header or the form body; more than one way at once is an error (§2). */
function presentedToken(request: EdgeRequest): { token: PresentedToken | null; error?: string } | null {
  const header = request.headers.authorization;
  let fromBody: string | undefined;
  if (request.method === "POST" && request.headers["content-type"] !== undefined) {
    const form = request.form();
    const value = form.access_token;
    if (Array.isArray(value)) return { token: null, error: "access_token was sent more than once" };
    fromBody = value;
  }
  if (header !== undefined && fromBody !== undefined) return { token: null, error: "the access token was sent in more than one way" };
  if (header !== undefined) {
    const token = presentedAccessToken(header);
    // Another scheme (Basic) or a malformed header carries no usable token: a 401 challenge, as for none.
    return token ? { token } : { token: null, error: "the Authorization header holds no bearer token" };
  }
  if (fromBody !== undefined) return fromBody ? { token: { scheme: "bearer", token: fromBody } } : { token: null, error: "access_token is empty" };
  return null;
}

export function userinfoEndpoint(ctx: Context): Handler {
  const cookieName = sessionCookieSettings(ctx.config).name;
  return async (request) => {
    let caller: Caller | null;
    const presented = presentedToken(request);
    if (presented) {
      if (!presented.token) return unauthorized(presented.error?.startsWith("the Authorization") ? "invalid_token" : "invalid_request", presented.error ?? "malformed request");
      const dpopHeader = request.headers.dpop as string | undefined;
      let proof = null;
      // Only a DPoP header or scheme costs anything more than a bearer request (RFC 9449 §7.1).
      if (dpopHeader !== undefined || presented.token.scheme === "dpop") {
        try {
          proof = await resourceProof(ctx, dpopHeader, presented.token, ownEndpointTarget(ctx, request));
        } catch (err) {
          if (err instanceof OAuthError && err.error === "invalid_dpop_proof") return dpopUnauthorized("invalid_dpop_proof", err.description);
          throw err;
        }
      }
      const result = await callerFromBearer(ctx, presented.token.token, request.client, proof);
      if (!result.ok && (result.reason === DPOP_BINDING_FAILED || proof)) return dpopUnauthorized("invalid_token", "the access token is invalid, not bound to this DPoP key, or its session has ended");
      if (!result.ok) return unauthorized("invalid_token", "the access token is invalid or its session has ended");
      caller = result.caller;
    } else {
      const value = request.cookie(cookieName);
      caller = value ? await callerFromCookie(ctx, value, request.client) : null;
      if (!caller) return unauthorized("invalid_token", "no access token and no session");
    }
    return { ...jsonResponse(200, await userinfoClaims(ctx, caller)), clientId: caller.clientId ?? undefined };
  };
}
