// GET|POST /oauth2/userinfo as plain data: a Bearer token or the session cookie; a missing or dead
// one is a 401 with WWW-Authenticate (RFC 6750 §3.1) and Authgear's invalid_grant body.
import type { Context } from "../context.ts";
import { bearerToken, callerFromBearer, callerFromCookie, type Caller } from "../session/caller.ts";
import type { ClientInfo } from "../session/idp-sessions.ts";
import type { PlainResponse } from "../http/plain-response.ts";
import { userinfoClaims } from "./userinfo.ts";

function unauthorized(error: "invalid_token" | "invalid_request", description: string): PlainResponse {
  return {
    status: 401,
    headers: {
      "www-authenticate": `Bearer error="${error}", error_description="${description}"`,
      "cache-control": "no-store",
      "content-type": "application/json",
    },
    body: JSON.stringify({ error: "invalid_grant", error_description: description }),
  };
}

export async function userinfoResponse(ctx: Context, input: { authorization: string | undefined; sessionCookie: string | undefined; client: ClientInfo }): Promise<PlainResponse> {
  let caller: Caller | null;
  if (input.authorization !== undefined) {
    const token = bearerToken(input.authorization);
    if (!token) return unauthorized("invalid_request", "malformed Authorization header");
    const result = await callerFromBearer(ctx, token, input.client);
    if (!result.ok) return unauthorized("invalid_token", "the access token is invalid or its session has ended");
    caller = result.caller;
  } else {
    caller = input.sessionCookie ? await callerFromCookie(ctx, input.sessionCookie, input.client) : null;
    if (!caller) return unauthorized("invalid_token", "no session");
  }
  return { status: 200, headers: { "cache-control": "no-store", "content-type": "application/json" }, body: JSON.stringify(userinfoClaims(caller)) };
}
