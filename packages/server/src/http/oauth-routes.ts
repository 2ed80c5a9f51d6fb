// Thin adapters from HTTP to the protocol functions in oauth/.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { OAuthError } from "../oauth/errors.ts";
import { requireFormBody, toParams, type Params } from "../oauth/params.ts";
import { discoveryDocument } from "../oauth/discovery.ts";
import { validateAuthorizationRequest, checkClient, checkRedirectUri } from "../oauth/authorize/request.ts";
import { decideAuthorization, type AuthorizeOutcome } from "../oauth/authorize/decide.ts";
import { errorRedirect } from "../oauth/authorize/redirect.ts";
import { LOGIN_HANDOFF_COOKIE, LOGIN_HANDOFF_PATH, suppressesIdpSessionCookie } from "../oauth/authorize/sso.ts";
import { revokeToken } from "../oauth/revoke.ts";
import { userinfoResponse } from "../oauth/userinfo-endpoint.ts";
import { sendPlain } from "./plain-response.ts";
import { endSessionRedirect } from "../oauth/end-session.ts";
import { callerFromCookie, type Caller } from "../session/caller.ts";
import { revokeSession } from "../session/revocation.ts";
import { parseSessionCookie } from "../session/idp-sessions.ts";
import { clientInfo } from "./client-info.ts";
import { sessionCookieSettings } from "./cookies.ts";
import { sendErrorPage, sendOAuthErrorPage, sendOAuthJson } from "./respond.ts";

function formParams(request: FastifyRequest): Params {
  requireFormBody(request.headers["content-type"]);
  return toParams(request.body);
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: Context): void {
  const discovery = JSON.stringify(discoveryDocument(ctx.issuer));
  const cookie = sessionCookieSettings(ctx.config);

  for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]) {
    app.get(path, async (_req, reply) => reply.type("application/json").header("cache-control", "public, max-age=300").send(discovery));
  }

  async function cookieCaller(request: FastifyRequest): Promise<Caller | null> {
    const value = request.cookies[cookie.name];
    return value ? callerFromCookie(ctx, value, clientInfo(request)) : null;
  }

  function sendOutcome(reply: FastifyReply, outcome: AuthorizeOutcome): FastifyReply {
    reply.header("cache-control", "no-store");
    if (outcome.kind === "redirect") return reply.redirect(outcome.location, 302);
    return reply.redirect(`/${outcome.page}?flow=${encodeURIComponent(outcome.flowId)}`, 302);
  }

  /**
   * Runs an authorization request; errors go to the client only once its redirect URI is trusted.
   * `resumed` carries the caller who just logged in on our page (when resuming).
   */
  async function authorize(request: FastifyRequest, reply: FastifyReply, p: Params, resumed?: { caller: Caller; since: number }): Promise<FastifyReply> {
    let redirectUri: string | null = null;
    try {
      const client = checkClient(ctx.clients, p);
      redirectUri = checkRedirectUri(client, p);
      const req = validateAuthorizationRequest(ctx.clients, p);
      // With SSO off, an existing shared session is not reused: every app login is its own.
      const caller = resumed?.caller ?? (suppressesIdpSessionCookie(p) ? null : await cookieCaller(request));
      return sendOutcome(reply, await decideAuthorization(ctx, req, caller, { loggedInSince: resumed?.since }));
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (!err.redirectable || redirectUri === null) return sendOAuthErrorPage(reply, err);
      return reply.header("cache-control", "no-store").redirect(errorRedirect(redirectUri, err, p.state ?? null, ctx.issuer), 302);
    }
  }

  const authorizeHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let p: Params;
    try {
      p = toParams(request.method === "POST" ? request.body : request.query, { redirectable: false });
    } catch (err) {
      if (err instanceof OAuthError) return sendOAuthErrorPage(reply, err);
      throw err;
    }
    return authorize(request, reply, p);
  };
  app.get("/oauth2/authorize", authorizeHandler);
  app.post("/oauth2/authorize", authorizeHandler);

  // After our login page: pick the stored request up again. The flow id is single-use.
  app.get("/oauth2/authorize/resume", async (request, reply) => {
    const flowId = (request.query as Record<string, unknown>).flow;
    const flow = typeof flowId === "string" && flowId.length < 100 ? await ctx.storage.authFlows.get(flowId) : null;
    if (!flow || flow.expiresAt <= ctx.now()) {
      return sendErrorPage(reply, 400, "This sign-in link has expired", "Go back to the app and start signing in again.");
    }
    const handoff = request.cookies[LOGIN_HANDOFF_COOKIE];
    if (handoff !== undefined) reply.clearCookie(LOGIN_HANDOFF_COOKIE, { path: LOGIN_HANDOFF_PATH, httpOnly: true, sameSite: "lax", secure: cookie.secure });
    const caller = (handoff ? await callerFromCookie(ctx, handoff, clientInfo(request)) : null) ?? (await cookieCaller(request));
    if (!caller) {
      return sendErrorPage(reply, 400, "You are not signed in", "Your browser did not keep the sign-in cookie. Allow cookies for this site and try again.");
    }
    await ctx.storage.authFlows.delete(flow.id);
    return authorize(request, reply, flow.params, { caller, since: flow.createdAt });
  });

  // POST /oauth2/token is answered by the fast lane (http/token-endpoint.ts).

  app.post("/oauth2/revoke", async (request, reply) => {
    try {
      await revokeToken(ctx, formParams(request).token);
    } catch (err) {
      if (err instanceof OAuthError) return sendOAuthJson(reply, err);
      throw err;
    }
    return reply.header("cache-control", "no-store").code(200).send();
  });

  // GET is answered by the fast lane (http/fast-lane.ts); POST comes here. Same function behind both.
  app.post("/oauth2/userinfo", async (request, reply) =>
    sendPlain(reply, await userinfoResponse(ctx, { authorization: request.headers.authorization, sessionCookie: request.cookies[cookie.name], client: clientInfo(request) })));

  const endSession = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let location: string | null;
    try {
      const p = toParams(request.method === "POST" ? request.body : request.query, { redirectable: false });
      location = endSessionRedirect(ctx, p);
    } catch (err) {
      if (err instanceof OAuthError) return sendOAuthErrorPage(reply, err);
      throw err;
    }
    const parsed = parseSessionCookie(request.cookies[cookie.name] ?? "");
    if (parsed && (await cookieCaller(request))) await revokeSession(ctx, parsed.id);
    reply.clearCookie(cookie.name, { path: "/", domain: cookie.domain, secure: cookie.secure, httpOnly: true, sameSite: "lax" });
    if (location) return reply.header("cache-control", "no-store").redirect(location, 302);
    return sendErrorPage(reply, 200, "Signed out", "You have been signed out. You can close this window.");
  };
  app.get("/oauth2/end_session", endSession);
  app.post("/oauth2/end_session", endSession);
}
