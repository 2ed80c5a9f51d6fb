// Social sign-in pages: GET /sso/oauth2/start/<alias> sends the browser to the provider, and the
// provider sends it back to Authgear's callback path, /sso/oauth2/callback/<alias> (GET; Apple POSTs
// with response_mode=form_post, turned into the same GET here). Every failure — a cancelled consent,
// a provider error, a stale or foreign state, a token that does not verify — ends on a readable page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import type { OAuthProviderConfig } from "../config/oauth-providers.ts";
import { csrfValid } from "../authui/csrf.ts";
import { clientInfo } from "../http/client-info.ts";
import { afterFirstFactor } from "../account/login/continue.ts";
import { loadFlow } from "../account/login/flow.ts";
import { sessionCaller } from "../account/ui/post.ts";
import { seeOther, sendProblemPage, tooMany, uiFor, type Ui } from "../account/ui/respond.ts";
import type { MessageKey } from "../account/messages/index.ts";
import { UpstreamError } from "./http.ts";
import { holdLink } from "./pending-link.ts";
import { PROVIDER_KINDS, providerByAlias, providerLabel } from "./providers/index.ts";
import type { UpstreamProfile } from "./providers/types.ts";
import { sendSsoProblem, START_PREFIX } from "./pages.ts";
import { linkToUser, signInWithProfile } from "./sign-in.ts";
import { finishSettingsAction, pendingAction } from "../settings-surface/actions.ts";
import { SETTINGS_ACTION_ID_PARAM } from "../settings-surface/names.ts";
import { unavailable } from "../settings-surface/unavailable.ts";
import { CALLBACK_PREFIX, callbackUrl, clearAttemptCookie, startAttempt, takeAttempt, type Attempt } from "./upstream.ts";

/** The `amr` of a social sign-in. Authgear leaves amr empty for OAuth; RFC 8176 has no federated value. */
export const OAUTH_AMR = "x_oauth";

/** Provider error codes meaning the user said no (RFC 6749 §4.1.2.1; Apple, LinkedIn and Facebook variants). */
const CANCELLED = new Set(["access_denied", "user_cancelled_authorize", "user_cancelled_login", "user_denied", "consent_required"]);
/** Callback parameters kept (Apple's form_post: code, state, user; or error; RFC 9207 `iss`). */
const CALLBACK_PARAMS = ["state", "code", "error", "user", "iss"] as const;

type Query = Record<string, unknown>;
type Fail = (status: number, message: MessageKey, error?: string, detail?: string) => FastifyReply;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length <= 4096 ? v : undefined);

export function registerSsoRoutes(app: FastifyInstance, ctx: Context): void {
  const unknownProvider = (reply: FastifyReply, ui: Ui): FastifyReply =>
    sendProblemPage(ctx, reply, ui, 404, { title: "error.not_found.title", message: "sso.error.unknown_provider" }, { href: "/login", label: "sso.back" });

  app.get(`${START_PREFIX}:alias`, async (request, reply) => {
    const ui = uiFor(ctx, request);
    const p = providerByAlias(ctx.config, (request.params as Query).alias);
    if (!p) return unknownProvider(reply, ui);
    const q = request.query as Query;
    const flowParam = str(q.flow) ?? "";
    const flow = flowParam ? await loadFlow(ctx, flowParam) : null;
    if (flowParam && !flow) return sendProblemPage(ctx, reply, ui, 400, { title: "error.flow_expired.title", message: "error.flow_expired.message" });
    let userId: string | null = null;
    let settingsActionId: string | undefined;
    if (q.intent === "link") {
      // Linking changes the account: the link carries the page's CSRF token, and needs the session.
      if (!csrfValid(request, q.csrf, ctx.issuer)) return sendProblemPage(ctx, reply, ui, 403, { title: "error.form_expired.title", message: "error.form_expired.message" });
      const caller = await sessionCaller(ctx, request);
      if (!caller) return sendSsoProblem(ctx, reply, ui, 401, { provider: providerLabel(p), message: "sso.error.link_signed_out" });
      userId = caller.user.id;
      // From the link_oauth settings action's page: that pending action, this user's, this provider's.
      if (q[SETTINGS_ACTION_ID_PARAM] !== undefined) {
        const action = await pendingAction(ctx, q[SETTINGS_ACTION_ID_PARAM], { action: "link_oauth", userId });
        if (!action || action.providerAlias !== p.alias) return unavailable(ctx, reply, ui);
        settingsActionId = action.id;
      }
    }
    const intent = q.intent === "link" ? "link" : q.intent === "signup" ? "signup" : "login";
    try {
      const started = await startAttempt(ctx, reply, p, { flowId: flow?.id ?? null, intent, userId, ip: clientInfo(request).ip, settingsActionId });
      if (!started.ok) return tooMany(ctx, reply, ui, started.retryAfter);
      return reply.redirect(started.location, 302);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      request.log.warn({ alias: p.alias, reason: err.reason, detail: err.detail }, "social sign-in could not start");
      return sendSsoProblem(ctx, reply, ui, 502, { provider: providerLabel(p), message: "sso.error.unreachable" });
    }
  });

  // Apple's form_post: the browser POSTs cross-site, so the SameSite=Lax binding cookie is not sent.
  // A 303 to the GET callback (a top-level navigation, which does carry it) continues the same way.
  app.post(`${CALLBACK_PREFIX}:alias`, async (request, reply) => {
    const alias = (request.params as Query).alias;
    if (!providerByAlias(ctx.config, alias)) return unknownProvider(reply, uiFor(ctx, request));
    const body = (request.body ?? {}) as Query;
    const q = new URLSearchParams();
    for (const key of CALLBACK_PARAMS) {
      const v = str(body[key]);
      if (v !== undefined) q.set(key, v);
    }
    return seeOther(ctx, reply, `${CALLBACK_PREFIX}${encodeURIComponent(String(alias))}?${q.toString()}`);
  });

  app.get(`${CALLBACK_PREFIX}:alias`, async (request, reply) => {
    const ui = uiFor(ctx, request);
    const p = providerByAlias(ctx.config, (request.params as Query).alias);
    if (!p) return unknownProvider(reply, ui);
    const provider = providerLabel(p);
    const q = request.query as Query;
    const attempt = await takeAttempt(ctx, request, p.alias, q.state);
    clearAttemptCookie(ctx, reply);
    const fail: Fail = (status, message, error, detail) => {
      // A forged or stale state and a token that does not verify are refused credentials; a user
      // cancelling or a provider in trouble are not.
      if (message === "sso.error.state" || message === "sso.error.token") ctx.metrics.signIn("failed");
      return sendSsoProblem(ctx, reply, ui, status, { provider, message, error, detail, back: attempt?.intent === "link" ? linkBack(attempt) : backTo(attempt) });
    };
    if (!attempt) return fail(400, "sso.error.state");
    const error = str(q.error);
    if (error !== undefined) {
      const code = /^[A-Za-z0-9_.-]{1,64}$/.test(error) ? error : "error";
      return CANCELLED.has(code) ? fail(400, "sso.error.cancelled") : fail(400, "sso.error.refused", code);
    }
    const code = str(q.code);
    if (!code) return fail(400, "sso.error.refused", "no code");

    let profile: UpstreamProfile;
    try {
      profile = await PROVIDER_KINDS[p.type].profile(ctx, p, {
        code, redirectUri: callbackUrl(ctx, p.alias), nonce: attempt.nonce, codeVerifier: attempt.codeVerifier,
        callback: Object.fromEntries(CALLBACK_PARAMS.flatMap((k) => (str(q[k]) !== undefined ? [[k, str(q[k]) as string]] : []))),
      });
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      request.log.warn({ alias: p.alias, reason: err.reason, detail: err.detail }, "social sign-in refused");
      if (err.reason === "invalid_token") return fail(400, "sso.error.token");
      if (err.reason === "refused") return fail(400, "sso.error.refused", "invalid_grant");
      return fail(502, "sso.error.unreachable");
    }
    return attempt.intent === "link" ? finishLink(request, reply, p, attempt, profile, fail) : finishSignIn(request, reply, p, attempt, profile, fail);
  });

  async function finishSignIn(
    request: FastifyRequest, reply: FastifyReply, p: OAuthProviderConfig, attempt: Attempt, profile: UpstreamProfile,
    fail: Fail,
  ): Promise<FastifyReply> {
    const outcome = await signInWithProfile(ctx, p, profile);
    switch (outcome.kind) {
      case "signed_in":
        return afterFirstFactor(ctx, request, reply, { user: outcome.user, flowId: attempt.flowId, justSignedUp: outcome.justSignedUp, amr: [OAUTH_AMR] });
      case "login_and_link":
        await holdLink(ctx, reply, { alias: p.alias, subject: profile.subject, claims: profile.claims, userId: outcome.user.id });
        return seeOther(ctx, reply, backTo(attempt));
      case "disabled":
        return fail(403, "sso.error.disabled");
      case "no_email":
        return fail(400, "sso.error.no_email");
      case "hook_denied": {
        // The hook's own words (Authgear shows its title and reason); a failed hook gets a generic line.
        const said = [outcome.title, outcome.reason].filter((x): x is string => Boolean(x)).join(": ");
        return fail(403, outcome.failed ? "hooks.error.failed" : "hooks.error.denied", undefined, outcome.failed ? undefined : said || undefined);
      }
      default:
        return fail(409, "sso.error.account_exists");
    }
  }

  async function finishLink(
    request: FastifyRequest, reply: FastifyReply, p: OAuthProviderConfig, attempt: Attempt, profile: UpstreamProfile,
    fail: Fail,
  ): Promise<FastifyReply> {
    // The browser must still be signed in as the user who asked to connect the account.
    const caller = await sessionCaller(ctx, request);
    if (!caller || caller.user.id !== attempt.userId) return fail(401, "sso.error.link_signed_out");
    const linked = await linkToUser(ctx, caller.user, p.alias, profile);
    if (linked.kind === "taken") return fail(409, "sso.error.taken");
    if (attempt.settingsActionId !== null) {
      // The link_oauth settings action: connected (now or before), so the app gets its code.
      const row = await pendingAction(ctx, attempt.settingsActionId, { action: "link_oauth", userId: caller.user.id });
      const location = row && row.providerAlias === p.alias ? await finishSettingsAction(ctx, row) : null;
      if (location) return seeOther(ctx, reply, location);
    }
    return seeOther(ctx, reply, `/settings?notice=${linked.kind === "linked" ? "oauth_linked" : "oauth_already"}`);
  }
}

/** After a failed connect: the settings action's page (to try again), else the settings page. */
function linkBack(attempt: Attempt): string {
  return attempt.settingsActionId ? `/settings/link_oauth?${SETTINGS_ACTION_ID_PARAM}=${encodeURIComponent(attempt.settingsActionId)}` : "/settings";
}

/** The login page again, for the app that is waiting (if any). */
function backTo(attempt: Attempt | null): string {
  return attempt?.flowId ? `/login?flow=${encodeURIComponent(attempt.flowId)}` : "/login";
}
