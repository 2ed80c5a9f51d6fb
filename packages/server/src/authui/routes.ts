// The hosted login UI: sign in and sign up with a login ID (email, phone or username) + password. The password is the first
// factor; account/login/continue.ts decides what follows (TOTP, email verification) and finishes
// by creating the IdP session and handing back to /oauth2/authorize/resume.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { callerFromCookie } from "../session/caller.ts";
import { verifyLogin } from "../users/users.ts";
import { clientInfo } from "../http/client-info.ts";
import { sessionCookieSettings } from "../session/cookie.ts";
import { UI_CSS } from "../http/html.ts";
import { guardCredential } from "../account/limits/guard.ts";
import { countRefusedSignIn } from "../account/login/sign-in-metrics.ts";
import { auditCredentialCheck } from "../audit/sign-in.ts";
import { loadFlow, type FlowView } from "../account/login/flow.ts";
import { afterFirstFactor } from "../account/login/continue.ts";
import { startPending } from "../account/login/pending.ts";
import { signUp } from "../account/login/signup.ts";
import { signupTakenEmail } from "../account/messaging/emails.ts";
import { queueEmail } from "../account/messaging/send.ts";
import { policyError } from "../account/policy/describe.ts";
import { phantomSent } from "../account/verification/phantom.ts";
import { acceptForm, pageCsrf } from "../account/ui/post.ts";
import { seeOther, sendHtml, sendProblemPage, uiFor, type Ui } from "../account/ui/respond.ts";
import { missingFields } from "../account/ui/field-errors.ts";
import { disabledNotice } from "../settings-surface/deletion-notice.ts";
import { loginPage, signedInPage, signupPage, type FormView } from "./templates.ts";
import { linkNotice, providerButtons } from "../sso/pages.ts";
import { heldAlias } from "../sso/pending-link.ts";
import { inSentence, keyLabel, keysLabel, signInFieldName } from "./login-id-fields.ts";
import { candidateKeys, loginIdKeys } from "../identity/login-id/index.ts";
import { accountLabel, lockKeyForTyped, type LoginIdProblem } from "../identity/service.ts";
import type { LoginIdKeyConfig } from "../config/identity.ts";
import { passkeyAuthBlock } from "../account/passkeys/service.ts";
import { oobLoginLink, passwordPagesOff } from "../account/oob-otp/login-page.ts";

/** The longest value a login-ID field takes: an email address is at most 254 octets (RFC 5321 §4.5.3.1.3). */
const fieldLimit = (k: LoginIdKeyConfig): number => (k.type === "email" ? Math.min(k.max_length, 254) : k.max_length);

/** A refused login ID, in words; an email keeps the messages sign-up always had. */
function loginIdError(ui: Ui, p: LoginIdProblem): string {
  if (p.key.type === "email" && p.reason === "taken") return ui.t("signup.error.email_taken");
  if (p.key.type === "email" && p.reason === "invalid_email") return ui.t("signup.error.invalid_email");
  if (p.reason === "taken") return ui.t("login_id.error.taken", { field: inSentence(ui, keyLabel(ui, p.key)) });
  return ui.t(`login_id.error.${p.reason}`, { field: keyLabel(ui, p.key), fields: inSentence(ui, keyLabel(ui, p.key)) });
}

export function registerAuthUiRoutes(app: FastifyInstance, ctx: Context): void {
  const cookie = sessionCookieSettings(ctx.config);
  const policy = ctx.config.authentication.password_policy;

  app.get("/_gatehouse/ui.css", async (_req, reply) => reply.type("text/css").header("cache-control", "public, max-age=3600").send(UI_CSS));

  async function render(request: FastifyRequest, reply: FastifyReply, ui: Ui, which: "login" | "signup", view: Omit<FormView, "csrf">, status = 200): Promise<FastifyReply> {
    const buttons = providerButtons(ui, ctx.config, { flowId: view.flowId, intent: which === "signup" ? "signup" : undefined });
    const csrf = pageCsrf(ctx, request, reply);
    const passkeys = await passkeyAuthBlock(ctx, ui, which, { csrf, flowId: view.flowId });
    const full = { ...view, sso: (view.sso ?? "") + buttons + passkeys + oobLoginLink(ui, ctx, view.flowId), csrf };
    return sendHtml(ctx, reply, which === "login" ? loginPage(ui, full) : signupPage(ui, full, policy), status);
  }

  const expired = (reply: FastifyReply, ui: Ui): FastifyReply =>
    sendProblemPage(ctx, reply, ui, 400, { title: "error.flow_expired.title", message: "error.flow_expired.message" });

  const keys = loginIdKeys(ctx.config);
  const loginField = signInFieldName(keys);
  const emailOnly = keys.length === 1 && keys[0].type === "email";

  /** A login_hint fills the sign-in field, or the sign-up field of the key it fits. */
  const hinted = (which: "login" | "signup", hint: string): Record<string, string> => {
    if (!hint) return {};
    if (which === "login") return { [loginField]: hint };
    const key = candidateKeys(ctx.config, hint)[0];
    return key ? { [key.key]: hint } : {};
  };

  for (const which of ["login", "signup"] as const) {
    app.get(`/${which}`, async (request, reply) => {
      const flowId = String((request.query as Record<string, unknown>).flow ?? "");
      const flow = await loadFlow(ctx, flowId);
      const ui = uiFor(ctx, request, flow?.ui);
      if (flowId && !flow) return expired(reply, ui);
      const off = passwordPagesOff(ctx, flow?.id ?? null);
      if (off) return reply.redirect(off, 302);
      const sso = which === "login" ? linkNotice(ui, ctx.config, await heldAlias(ctx, request)) : "";
      return render(request, reply, ui, which, { flowId: flow?.id ?? null, keys, values: hinted(which, flow?.loginHint ?? ""), error: null, appName: flow?.appName ?? "", sso });
    });
  }

  /**
   * The common start of both POSTs: CSRF, a strict read of the fields, a live flow if one is named.
   * A refusal comes back wrapped: a FastifyReply is a thenable, so an async function returning it
   * bare resolves to undefined once it is sent (the caller then threw after the 403 went out).
   */
  async function accept(request: FastifyRequest, reply: FastifyReply, which: "login" | "signup"): Promise<
    { ok: true; ui: Ui; values: Record<string, string>; password: string; flow: FlowView | null; view: Omit<FormView, "csrf" | "error"> } | { ok: false; reply: FastifyReply }
  > {
    // Longer than any key allows is a broken or hostile form (400), as it always was for email.
    const spec: Record<string, number> = { flow: 200, password: 256 };
    if (which === "login") spec[loginField] = Math.max(...keys.map(fieldLimit));
    else for (const k of keys) spec[k.key] = fieldLimit(k);
    const names = which === "login" ? [loginField] : keys.map((k) => k.key);
    const form = acceptForm(ctx, request, reply, spec);
    if (!form.ok) return form;
    const flow = await loadFlow(ctx, form.fields.flow);
    if (form.fields.flow && !flow) return { ok: false, reply: expired(reply, form.ui) };
    const values = Object.fromEntries(names.map((n) => [n, form.fields[n].trim()]));
    return { ok: true, ui: flow ? uiFor(ctx, request, flow.ui) : form.ui, values, password: form.fields.password, flow, view: { flowId: flow?.id ?? null, keys, values, appName: flow?.appName ?? "" } };
  }

  app.post("/login", async (request, reply) => {
    const off = passwordPagesOff(ctx, null);
    if (off) return reply.redirect(off, 303);
    const a = await accept(request, reply, "login");
    if (!a.ok) return a.reply;
    const typed = a.values[loginField];
    // An empty field is a mistake, not a guess: said per field, and no attempt is counted.
    const missing = missingFields(a.ui.t, { [loginField]: typed, password: a.password });
    if (missing) return render(request, reply, a.ui, "login", { ...a.view, error: null, fieldErrors: missing }, 400);
    // Rate limits and the lockout are keyed by the normalised login ID, known or not: the answers never differ.
    const who = { email: lockKeyForTyped(ctx, typed), ip: clientInfo(request).ip };
    const result = await guardCredential(ctx, who, () => verifyLogin(ctx, typed, a.password));
    countRefusedSignIn(ctx, result);
    await auditCredentialCheck(ctx, who, "password", result);
    if (result.kind === "rate_limited" || result.kind === "locked") return render(request, reply, a.ui, "login", { ...a.view, error: a.ui.t("login.error.locked") }, 429);
    if (result.kind === "invalid") {
      const error = emailOnly ? a.ui.t("login.error.invalid") : a.ui.t("login.error.invalid_login_id", { fields: inSentence(a.ui, keysLabel(a.ui, keys)) });
      return render(request, reply, a.ui, "login", { ...a.view, error }, 401);
    }
    // The password was right, so the guard forgave the attempt (a disabled account is not a guess);
    // only now may the answer say the account is disabled, with the operator's reason.
    if (result.value.disabled) return render(request, reply, a.ui, "login", { ...a.view, error: await disabledNotice(ctx, a.ui, result.value) }, 403);
    return afterFirstFactor(ctx, request, reply, { user: result.value, flowId: a.flow?.id ?? null, justSignedUp: false });
  });

  app.post("/signup", async (request, reply) => {
    const off = passwordPagesOff(ctx, null);
    if (off) return reply.redirect(off, 303);
    const a = await accept(request, reply, "signup");
    if (!a.ok) return a.reply;
    const { t } = a.ui;
    // With one login-ID key it is required like the password; with several, at least one (signUp says so).
    const missing = missingFields(t, { ...(keys.length === 1 ? a.values : {}), password: a.password });
    if (missing) return render(request, reply, a.ui, "signup", { ...a.view, error: null, fieldErrors: missing }, 400);
    const client = clientInfo(request);
    const result = await signUp(ctx, {
      loginIds: a.values, password: a.password, ip: client.ip, flowId: a.flow?.id ?? null,
      origin: { triggeredBy: "user", ip: client.ip, userAgent: client.userAgent, clientId: a.flow?.clientId, language: a.ui.locale },
    });
    switch (result.kind) {
      case "created":
        return afterFirstFactor(ctx, request, reply, { user: result.user, flowId: a.flow?.id ?? null, justSignedUp: true });
      case "taken_hidden": {
        queueEmail(ctx, signupTakenEmail(t, result.email), { ip: clientInfo(request).ip });
        const id = await startPending(ctx, reply, { userId: null, email: result.email, flowId: a.flow?.id ?? null, stage: "verify", amr: ["pwd"] });
        phantomSent(id, ctx.now());
        return seeOther(ctx, reply, "/verify");
      }
      case "rate_limited":
        return render(request, reply, a.ui, "signup", { ...a.view, error: t("signup.error.rate_limited") }, 429);
      case "weak_password":
        return render(request, reply, a.ui, "signup", { ...a.view, error: policyError(t, result.rules, policy) }, 400);
      case "login_id_required":
        return render(request, reply, a.ui, "signup", { ...a.view, error: t("login_id.error.required", { fields: inSentence(a.ui, keysLabel(a.ui, keys)) }) }, 400);
      case "login_id":
        return render(request, reply, a.ui, "signup", { ...a.view, error: loginIdError(a.ui, result.problem) }, 400);
      case "hook_denied": {
        // The hook's own words (Authgear shows its title and reason); a failed hook gets a generic line.
        const said = [result.title, result.reason].filter((x): x is string => Boolean(x)).join(": ");
        return render(request, reply, a.ui, "signup", { ...a.view, error: result.failed ? t("hooks.error.failed") : said || t("hooks.error.denied") }, 403);
      }
    }
  });

  app.get("/", async (request, reply) => {
    const value = request.cookies[cookie.name];
    const caller = value ? await callerFromCookie(ctx, value, clientInfo(request)) : null;
    if (!caller) return reply.redirect("/login", 302);
    return sendHtml(ctx, reply, signedInPage(uiFor(ctx, request), await accountLabel(ctx, caller.user)));
  });
}
