// The passkey endpoints, registered only while passkeys are switched on (else every one is a 404):
// the static script, sign-in (POST /login/passkey, from the button or autofill), sign-up
// (POST /signup/passkey) and the settings forms (add, remove). Forms carry the CSRF token like
// every account form; refusals are readable pages with the right status and change nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { clientInfo } from "../../http/client-info.ts";
import { problemBody } from "../../http/html.ts";
import { loadFlow } from "../login/flow.ts";
import { afterFirstFactor } from "../login/continue.ts";
import { startPending } from "../login/pending.ts";
import { accountLimits } from "../limits/buckets.ts";
import { signupTakenEmail } from "../messaging/emails.ts";
import { queueEmail } from "../messaging/send.ts";
import { phantomSent } from "../verification/phantom.ts";
import type { MessageKey } from "../messages/index.ts";
import { acceptForm, sessionCaller } from "../ui/post.ts";
import { accountPage } from "../ui/layout.ts";
import { seeOther, sendHtml, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { disabledMessage } from "../ui/field-errors.ts";
import { loginIdKeys } from "../../identity/login-id/index.ts";
import { inSentence, keyLabel, keysLabel } from "../../authui/login-id-fields.ts";
import type { LoginIdProblem } from "../../identity/service.ts";
import { verifyAssertion, type AssertionResult } from "./ceremony.ts";
import { PASSKEY_JS } from "./passkey-script.ts";
import { PASSKEY_JS_PATH } from "./pages.ts";
import { passkeysEnabled } from "./relying-party.ts";
import { addPasskey, removePasskey, signUpWithPasskey } from "./service.ts";
import { recordUserEvent, USER_EVENTS } from "../../audit/events.ts";

/** A WebAuthn response as JSON is a few hundred bytes to a few KB (attestation certificates): 16 KB is ample. */
const CREDENTIAL_LIMIT = 16_384;

const ASSERTION_ERRORS: Record<Exclude<AssertionResult, { ok: true }>["reason"], MessageKey> = {
  malformed: "passkey.error.failed", invalid: "passkey.error.failed", replayed: "passkey.error.failed",
  expired: "passkey.error.expired", unknown_credential: "passkey.error.unknown",
};

export function registerPasskeyRoutes(app: FastifyInstance, ctx: Context): void {
  if (!passkeysEnabled(ctx.config)) return;
  const keys = loginIdKeys(ctx.config);

  /** The page a refused passkey gets: what went wrong, and the way back to the page it came from. */
  const refused = (reply: FastifyReply, ui: Ui, status: number, message: string, back: string): FastifyReply =>
    sendHtml(ctx, reply, accountPage({ ...ui, title: ui.t("passkey.error.title"), body: problemBody(ui.t("passkey.error.title"), message, { href: back, label: ui.t("forgot.back") }) }), status);
  const backTo = (path: string, flowId: string | null): string => (flowId ? `${path}?flow=${encodeURIComponent(flowId)}` : path);

  app.get(PASSKEY_JS_PATH, async (_req, reply) => reply.type("text/javascript; charset=utf-8").header("cache-control", "public, max-age=3600").send(PASSKEY_JS));

  app.post("/login/passkey", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { flow: 200, credential: CREDENTIAL_LIMIT });
    if (!form.ok) return form.reply;
    const flow = form.fields.flow ? await loadFlow(ctx, form.fields.flow) : null;
    const ui = flow ? uiFor(ctx, request, flow.ui) : form.ui;
    if (form.fields.flow && !flow) return refused(reply, ui, 400, ui.t("error.flow_expired.message"), "/login");
    const back = backTo("/login", flow?.id ?? null);
    const ip = clientInfo(request).ip;
    // Each attempt costs a token of the sign-in budget per IP (Authgear's authentication.general.per_ip).
    const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).credentialPerIp, ip, ctx.now());
    if (!limited.ok) return tooMany(ctx, reply, ui, limited.retryAfter);
    const result = await verifyAssertion(ctx, form.fields.credential);
    if (!result.ok) {
      ctx.metrics.signIn("failed");
      request.log.info({ reason: result.reason }, "passkey sign-in refused");
      await recordUserEvent(ctx, USER_EVENTS.passkeyFailed, null, { ip, reason: result.reason });
      return refused(reply, ui, result.reason === "malformed" ? 400 : 401, ui.t(ASSERTION_ERRORS[result.reason]), back);
    }
    const user = await ctx.storage.users.get(result.passkey.userId);
    if (!user) return refused(reply, ui, 401, ui.t("passkey.error.unknown"), back);
    if (user.disabled) return refused(reply, ui, 403, disabledMessage(ui.t, user.disabledReason), back);
    // Authgear: a passkey identity needs no primary and no secondary authentication (pkg/lib/config/
    // authentication_flow.go, SecondaryAuthentications of identification "passkey" is nil), amr x_passkey.
    return afterFirstFactor(ctx, request, reply, { user, flowId: flow?.id ?? null, justSignedUp: false, amr: ["x_passkey"], secondFactorDone: true });
  });

  app.post("/signup/passkey", async (request, reply) => {
    const spec: Record<string, number> = { flow: 200, credential: CREDENTIAL_LIMIT };
    for (const k of keys) spec[k.key] = k.type === "email" ? Math.min(k.max_length, 254) : k.max_length;
    const form = acceptForm(ctx, request, reply, spec);
    if (!form.ok) return form.reply;
    const flow = form.fields.flow ? await loadFlow(ctx, form.fields.flow) : null;
    const ui = flow ? uiFor(ctx, request, flow.ui) : form.ui;
    if (form.fields.flow && !flow) return refused(reply, ui, 400, ui.t("error.flow_expired.message"), "/signup");
    const back = backTo("/signup", flow?.id ?? null);
    const ip = clientInfo(request).ip;
    const loginIds = Object.fromEntries(keys.map((k) => [k.key, form.fields[k.key].trim()]));
    const result = await signUpWithPasskey(ctx, { loginIds, credential: form.fields.credential, ip });
    switch (result.kind) {
      case "created":
        return afterFirstFactor(ctx, request, reply, { user: result.user, flowId: flow?.id ?? null, justSignedUp: true, amr: ["x_passkey"], secondFactorDone: true });
      case "taken_hidden": {
        // As password sign-up does: the owner is told by email, the page looks like a new account's.
        queueEmail(ctx, signupTakenEmail(ui.t, result.email), { ip });
        const id = await startPending(ctx, reply, { userId: null, email: result.email, flowId: flow?.id ?? null, stage: "verify", amr: ["x_passkey"] });
        phantomSent(id, ctx.now());
        return seeOther(ctx, reply, "/verify");
      }
      case "rate_limited":
        return tooMany(ctx, reply, ui, result.retryAfter);
      case "passkey":
        return refused(reply, ui, result.reason === "malformed" ? 400 : 401, ui.t(result.reason === "expired" ? "passkey.error.expired" : "passkey.error.failed"), back);
      case "login_id_required":
        return refused(reply, ui, 400, ui.t("login_id.error.required", { fields: inSentence(ui, keysLabel(ui, keys)) }), back);
      case "login_id":
        return refused(reply, ui, 400, loginIdError(ui, result.problem), back);
    }
  });

  /** Signed-in settings forms: CSRF and a strict read first, then the session. */
  function settingsPost<S extends Record<string, number>>(path: string, spec: S, handle: (request: FastifyRequest, reply: FastifyReply, user: NonNullable<Awaited<ReturnType<typeof sessionCaller>>>["user"], fields: { [K in keyof S]: string }) => Promise<FastifyReply>): void {
    app.post(path, async (request, reply) => {
      const form = acceptForm(ctx, request, reply, spec);
      if (!form.ok) return form.reply;
      const caller = await sessionCaller(ctx, request);
      if (!caller) return seeOther(ctx, reply, "/login");
      return handle(request, reply, caller.user, form.fields);
    });
  }

  settingsPost("/settings/passkeys", { credential: CREDENTIAL_LIMIT }, async (request, reply, user, fields) => {
    const result = await addPasskey(ctx, user, fields.credential);
    if (result !== "ok") request.log.info({ reason: result }, "passkey registration refused");
    else await recordUserEvent(ctx, USER_EVENTS.passkeyAdded, user, { ip: clientInfo(request).ip });
    return seeOther(ctx, reply, `/settings?notice=${result === "ok" ? "passkey_added" : "passkey_failed"}`);
  });

  settingsPost("/settings/passkeys/remove", { identity: 64 }, async (request, reply, user, fields) => {
    const result = await removePasskey(ctx, user, fields.identity);
    if (result === "ok") await recordUserEvent(ctx, USER_EVENTS.passkeyRemoved, user, { ip: clientInfo(request).ip, identity_id: fields.identity });
    return seeOther(ctx, reply, `/settings?notice=${result === "ok" ? "passkey_removed" : result === "last_way" ? "passkey_last_way" : "passkey_failed"}`);
  });
}

/** A refused login ID, in the words password sign-up uses (authui/routes.ts). */
function loginIdError(ui: Ui, p: LoginIdProblem): string {
  if (p.key.type === "email" && p.reason === "taken") return ui.t("signup.error.email_taken");
  if (p.key.type === "email" && p.reason === "invalid_email") return ui.t("signup.error.invalid_email");
  if (p.reason === "taken") return ui.t("login_id.error.taken", { field: inSentence(ui, keyLabel(ui, p.key)) });
  return ui.t(`login_id.error.${p.reason}`, { field: keyLabel(ui, p.key), fields: inSentence(ui, keyLabel(ui, p.key)) });
}
