// The authorization request's `login_hint` of type app_session_token (Authgear's handler_authz.go
// doHandle): the token is spent for a browser session of the app's user, and the request goes on
// as that user — to the redirect URI (open(Page.Settings): response_type none) or to the settings
// action's page. A hint that names no live token is invalid_request, back to the app as Authgear does.
import type { Context } from "../context.ts";
import { OAuthError } from "../oauth/errors.ts";
import { appSessionTokenOf } from "../oauth/authorize/login-hint.ts";
import type { AuthorizationRequest } from "../oauth/authorize/request.ts";
import { callerFromCookie, type Caller } from "../session/caller.ts";
import { sessionCookieHeader, sessionCookieSettings } from "../session/cookie.ts";
import type { ClientInfo } from "../session/idp-sessions.ts";
import { exchangeAppSessionToken } from "./app-session-token.ts";

export interface CarriedSession {
  caller: Caller;
  /** The Set-Cookie header of the new `session` cookie. */
  setCookie: string;
}

/** Null when the request has no app_session_token hint; throws invalid_request when it has a dead one. */
export async function carryAppSession(ctx: Context, req: AuthorizationRequest, client: ClientInfo): Promise<CarriedSession | null> {
  const token = appSessionTokenOf(req.raw.login_hint);
  if (token === null) return null;
  const exchanged = await exchangeAppSessionToken(ctx, token, { clientId: req.client.client_id, client });
  const caller = exchanged ? await callerFromCookie(ctx, exchanged.cookieValue, client) : null;
  if (!exchanged || !caller) throw new OAuthError("invalid_request", "the app session token is invalid, expired or already used");
  return { caller, setCookie: sessionCookieHeader(sessionCookieSettings(ctx.config), exchanged.cookieValue) };
}
