// GET|POST /oauth2/authorize and GET /oauth2/authorize/resume as edge endpoints. Errors go back to the
// client only once its redirect URI is trusted (RFC 6749 §4.1.2.1); before that they are a page.
import type { Context } from "../../context.ts";
import { OAuthError } from "../errors.ts";
import { toParams, type Params } from "../params.ts";
import { validateAuthorizationRequest, checkClient, checkRedirectUri } from "./request.ts";
import { decideAuthorization, type AuthorizeOutcome } from "./decide.ts";
import { loadAuthFlow } from "./flow.ts";
import { errorRedirect } from "./redirect.ts";
import { startPath } from "../../sso/pages.ts";
import { LOGIN_HANDOFF_COOKIE, LOGIN_HANDOFF_PATH, suppressesIdpSessionCookie } from "./sso.ts";
import { uiHintCookies } from "./ui-cookies.ts";
import { SETTINGS_ACTION_RESPONSE_TYPE } from "../../settings-surface/names.ts";
import { callerFromCookie, type Caller } from "../../session/caller.ts";
import { serializeCookie, sessionCookieSettings } from "../../session/cookie.ts";
import { pageResponse, redirectResponse } from "../../edge/responses.ts";
import { problemBody } from "../../http/html.ts";
import { accountPage } from "../../account/ui/layout.ts";
import { uiForEdge } from "../../account/ui/ui.ts";
import type { EdgeRequest, EdgeResponse, Handler } from "../../edge/types.ts";
import { carryAppSession } from "../../settings-surface/authorize-hint.ts";
import { checkSettingsAction } from "../../settings-surface/actions.ts";
import { PRE_AUTHENTICATED_URL_RESPONSE_TYPE, preAuthenticatedUrl } from "../../device-keys/pre-authenticated-url.ts";

/** To our login page, the request's ui_locales / x_color_scheme ride along in cookies (ui-cookies.ts). */
function outcomeResponse(outcome: AuthorizeOutcome, headers: Record<string, string> = {}, uiCookies: string[] = []): EdgeResponse {
  if (outcome.kind === "redirect") return redirectResponse(outcome.location, headers);
  const cookies = [...(headers["set-cookie"] ? [headers["set-cookie"]] : []), ...uiCookies];
  const withCookies = cookies.length ? { ...headers, "set-cookie": cookies } : headers;
  if (outcome.provider) {
    const intent = outcome.page === "signup" ? { intent: "signup" as const } : {};
    return redirectResponse(startPath(outcome.provider, { flowId: outcome.flowId, ...intent }), withCookies);
  }
  return redirectResponse(`/${outcome.page}?flow=${encodeURIComponent(outcome.flowId)}`, withCookies);
}

/** A page that only says what went wrong, in the person's language (their ui_locales cookie, Accept-Language). */
function translatedProblem(ctx: Context, request: EdgeRequest, status: number, key: "error.flow_expired" | "error.no_session", headers: Record<string, string>): EdgeResponse {
  const ui = uiForEdge(ctx, request);
  const title = ui.t(`${key}.title`);
  return pageResponse(status, accountPage({ ...ui, title, body: problemBody(title, ui.t(`${key}.message`)) }), { headers });
}

/**
 * A request that cannot go back to the app (unknown client, unregistered redirect URI): said to the
 * person, titled in their language; the OAuth error itself stays as the RFC names it, for the developer.
 */
function refusedPage(ctx: Context, request: EdgeRequest, err: OAuthError): EdgeResponse {
  const ui = uiForEdge(ctx, request);
  const title = ui.t("error.request_refused.title");
  return pageResponse(err.status, accountPage({ ...ui, title, body: problemBody(title, `${err.error}: ${err.description}`) }));
}

export function authorizeEndpoints(ctx: Context): { authorize: Handler; resume: Handler } {
  const cookie = sessionCookieSettings(ctx.config);
  const clearedHandoff = serializeCookie(LOGIN_HANDOFF_COOKIE, "", { path: LOGIN_HANDOFF_PATH, httpOnly: true, sameSite: "lax", secure: cookie.secure, maxAge: 0 });

  async function cookieCaller(request: EdgeRequest): Promise<Caller | null> {
    const value = request.cookie(cookie.name);
    return value ? callerFromCookie(ctx, value, request.client) : null;
  }

  /** Runs an authorization request; `resumed` carries the caller who just logged in on our page. */
  async function authorize(request: EdgeRequest, p: Params, resumed?: { caller: Caller; since: number; headers: Record<string, string> }): Promise<EdgeResponse> {
    let redirectUri: string | null = null;
    try {
      // Pre-authenticated URLs (device-keys/): their own checks, redirect URIs and cookie answer.
      if (!resumed && p.response_type === PRE_AUTHENTICATED_URL_RESPONSE_TYPE) return await preAuthenticatedUrl(ctx, p);
      const client = checkClient(ctx.clients, p);
      redirectUri = checkRedirectUri(client, p, { issuer: ctx.issuer });
      const req = validateAuthorizationRequest(ctx.clients, p, { issuer: ctx.issuer });
      checkSettingsAction(ctx, req);
      // An app handing its user over (login_hint app_session_token): that user, signed in here now.
      const carried = resumed ? null : await carryAppSession(ctx, req, request.client);
      // As Authgear: anything but a settings action simply lands on the redirect URI, signed in.
      if (carried && req.responseType !== SETTINGS_ACTION_RESPONSE_TYPE) {
        return { ...redirectResponse(req.redirectUri, { "set-cookie": [carried.setCookie, ...uiHintCookies(p, cookie.secure)] }), clientId: client.client_id };
      }
      // With SSO off, an existing shared session is not reused: every app login is its own.
      const caller = carried?.caller ?? resumed?.caller ?? (suppressesIdpSessionCookie(p) ? null : await cookieCaller(request));
      const outcome = await decideAuthorization(ctx, req, caller, { loggedInSince: resumed?.since, ip: request.client.ip });
      const headers = carried ? { "set-cookie": carried.setCookie } : resumed?.headers;
      return { ...outcomeResponse(outcome, headers, uiHintCookies(p, cookie.secure)), clientId: client.client_id };
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (!err.redirectable || redirectUri === null) return refusedPage(ctx, request, err);
      return { ...redirectResponse(errorRedirect(redirectUri, err, p.state ?? null, ctx.issuer), resumed?.headers), clientId: p.client_id };
    }
  }

  return {
    authorize: (request) => authorize(request, toParams(request.method === "POST" ? request.form() : request.query(), { redirectable: false })),

    // After our login page: pick the stored request up again. The flow id is single-use.
    async resume(request) {
      const flow = await loadAuthFlow(ctx, request.query().flow);
      if (!flow) {
        return translatedProblem(ctx, request, 400, "error.flow_expired", {});
      }
      const handoff = request.cookie(LOGIN_HANDOFF_COOKIE);
      const headers: Record<string, string> = handoff !== undefined ? { "set-cookie": clearedHandoff } : {};
      const caller = (handoff ? await callerFromCookie(ctx, handoff, request.client) : null) ?? (await cookieCaller(request));
      if (!caller) {
        return translatedProblem(ctx, request, 400, "error.no_session", headers);
      }
      await ctx.storage.authFlows.delete(flow.id);
      return authorize(request, flow.params, { caller, since: flow.createdAt, headers });
    },
  };
}
