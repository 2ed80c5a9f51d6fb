// The second step by a code sent to a proved email or phone, or by the password after a
// passwordless first factor; and, in secondary_authentication_mode `required`, setting a second
// factor up before the login finishes. Every page reads the same pending step as /login/totp
// (stage "totp"), so afterStep's compare-and-set makes each step count once. amr gains the
// factor's values and "mfa", as Authgear's does.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { accountName, type User } from "../../domain/user.ts";
import type { PendingLogin } from "../../domain/account.ts";
import { clientInfo } from "../../http/client-info.ts";
import { randomUUID } from "node:crypto";
import type { OobChannel } from "../../storage/oob-ports.ts";
import { guardCredential } from "../limits/guard.ts";
import { afterStep } from "../login/continue.ts";
import { readPending } from "../login/pending.ts";
import { countRefusedSignIn } from "../login/sign-in-metrics.ts";
import { outboxShown } from "../messaging/outbox-view.ts";
import { qrCodeDataUrl, totpUri } from "../mfa/totp.ts";
import { beginTotpSetup, confirmTotpSetup } from "../settings/service.ts";
import { accountLabel } from "../../identity/service.ts";
import { hidden } from "../ui/layout.ts";
import { acceptForm, pageCsrf } from "../ui/post.ts";
import { sendHtml, sendProblemPage, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { codePage } from "./pages.ts";
import { chooserPage, setupPage } from "./second-factor-pages.ts";
import { secondFactorsOf, setupOptions, maskTarget } from "./second-factor.ts";
import { checkOob, oobAmr, sendOob, type OobPurpose } from "./service.ts";
import { totpSetupAtLoginPage, recoveryAtLoginPage } from "./totp-setup-pages.ts";

type Step = { pending: PendingLogin; user: User };

export function registerSecondFactorPages(app: FastifyInstance, ctx: Context): void {
  const stepExpired = (reply: FastifyReply, ui: Ui): FastifyReply =>
    sendProblemPage(ctx, reply, ui, 400, { title: "error.step_expired.title", message: "error.step_expired.message" }, { href: "/login", label: "forgot.back" });

  async function step(request: FastifyRequest): Promise<Step | null> {
    const pending = await readPending(ctx, request, "totp");
    const user = pending?.userId ? await ctx.storage.users.get(pending.userId) : null;
    return pending && user && !user.disabled ? { pending, user } : null;
  }

  const finish = (request: FastifyRequest, reply: FastifyReply, ui: Ui, s: Step, amr: string[]): Promise<FastifyReply> =>
    afterStep(ctx, request, reply, { pendingId: s.pending.id, from: "totp", user: s.user, amr: [...new Set([...s.pending.amr, ...amr, "mfa"])], flowId: s.pending.flowId, stale: () => stepExpired(reply, ui) });

  /** The code page for `target`; the hidden fields say which (checked again on every POST). */
  function renderCode(request: FastifyRequest, reply: FastifyReply, ui: Ui, o: { purpose: OobPurpose; channel: OobChannel; target: string; extra: string; error?: string; notice?: string }, status = 200): FastifyReply {
    const base = o.purpose === "setup" ? "/login/mfa/setup" : "/login/mfa";
    return sendHtml(ctx, reply, codePage(ui, {
      csrf: pageCsrf(ctx, request, reply), target: maskTarget(o.target), channel: o.channel, action: `${base}/code`, resendAction: `${base}/send`,
      extraFields: o.extra, error: o.error ?? null, notice: o.notice ?? null, outbox: outboxShown(ctx), backHref: base,
    }), status);
  }

  /** Which target a POST names: one of the user's second factors (login) or of the setup options (setup). */
  async function targetOf(s: Step, purpose: OobPurpose, f: Record<string, string>): Promise<{ channel: OobChannel; target: string; extra: string } | null> {
    if (purpose === "login") {
      const a = (await secondFactorsOf(ctx, s.user, s.pending.amr)).oob.find((x) => x.id === f.id);
      return a ? { channel: a.channel, target: a.target, extra: hidden("id", a.id) } : null;
    }
    const o = (await setupOptions(ctx, s.user)).find((x) => x.kind === "oob" && x.channel === f.channel && x.target === f.target);
    return o && o.kind === "oob" ? { channel: o.channel, target: o.target, extra: hidden("channel", o.channel) + hidden("target", o.target) } : null;
  }

  app.get("/login/mfa", async (request, reply) => {
    const ui = uiFor(ctx, request);
    const s = await step(request);
    if (!s) return stepExpired(reply, ui);
    return sendHtml(ctx, reply, chooserPage(ui, { csrf: pageCsrf(ctx, request, reply), factors: await secondFactorsOf(ctx, s.user, s.pending.amr), error: null }));
  });

  app.get("/login/mfa/setup", async (request, reply) => {
    const ui = uiFor(ctx, request);
    const s = await step(request);
    if (!s) return stepExpired(reply, ui);
    return sendHtml(ctx, reply, setupPage(ui, { csrf: pageCsrf(ctx, request, reply), options: await setupOptions(ctx, s.user), error: null }));
  });

  for (const purpose of ["login", "setup"] as const) {
    const base = purpose === "setup" ? "/login/mfa/setup" : "/login/mfa";
    const spec = { id: 64, channel: 8, target: 320 };

    app.post(`${base}/send`, async (request, reply) => {
      const form = acceptForm(ctx, request, reply, spec);
      if (!form.ok) return form.reply;
      const s = await step(request);
      const t = s && (await targetOf(s, purpose, form.fields));
      if (!s || !t) return stepExpired(reply, form.ui);
      const sent = await sendOob(ctx, { purpose, channel: t.channel, target: t.target, pendingId: s.pending.id, link: false, ip: clientInfo(request).ip, t: form.ui.t });
      if (sent.kind === "rate_limited") return tooMany(ctx, reply, form.ui, sent.retryAfter);
      // A code sent a moment ago is still good: the page says when another may be sent.
      const notice = sent.kind === "cooldown" ? form.ui.t("oob.error.cooldown", { seconds: sent.seconds }) : undefined;
      return renderCode(request, reply, form.ui, { purpose, ...t, notice });
    });

    app.post(`${base}/code`, async (request, reply) => {
      const form = acceptForm(ctx, request, reply, { ...spec, code: 32 });
      if (!form.ok) return form.reply;
      const { ui } = form;
      const s = await step(request);
      const t = s && (await targetOf(s, purpose, form.fields));
      if (!s || !t) return stepExpired(reply, ui);
      if (form.fields.code.trim() === "") return renderCode(request, reply, ui, { purpose, ...t, error: ui.t("form.error.code_required") }, 400);
      const verdict = await checkOob(ctx, { purpose, channel: t.channel, target: t.target, pendingId: s.pending.id, input: form.fields.code, ip: clientInfo(request).ip });
      if (verdict === "rate_limited") return tooMany(ctx, reply, ui, 60);
      if (verdict !== "ok") {
        countRefusedSignIn(ctx, { kind: "invalid" });
        return renderCode(request, reply, ui, { purpose, ...t, error: ui.t(verdict === "too_many" ? "oob.error.too_many" : "oob.error.invalid") }, 400);
      }
      if (purpose === "setup") {
        await ctx.storage.oobAuthenticators.add({ id: randomUUID(), userId: s.user.id, kind: "secondary", channel: t.channel, target: t.target, createdAt: ctx.now() });
      }
      return finish(request, reply, ui, s, oobAmr(t.channel));
    });
  }

  app.post("/login/mfa/password", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { password: 256 });
    if (!form.ok) return form.reply;
    const { ui } = form;
    const s = await step(request);
    if (!s) return stepExpired(reply, ui);
    const factors = await secondFactorsOf(ctx, s.user, s.pending.amr);
    if (!factors.password) return stepExpired(reply, ui);
    const render = (error: string, status: number): FastifyReply => sendHtml(ctx, reply, chooserPage(ui, { csrf: pageCsrf(ctx, request, reply), factors, error }), status);
    if (form.fields.password === "") return render(ui.t("form.error.password_required"), 400);
    const who = { email: accountName(s.user), ip: clientInfo(request).ip };
    const result = await guardCredential(ctx, who, async () => {
      const stored = await ctx.storage.passwords.get(s.user.id);
      return stored && (await ctx.passwords.verify(stored, form.fields.password)) ? true : null;
    });
    countRefusedSignIn(ctx, result);
    if (result.kind === "rate_limited") return tooMany(ctx, reply, ui, result.retryAfter);
    if (result.kind === "locked") return render(ui.t("login.error.locked"), 429);
    if (result.kind === "invalid") return render(ui.t("mfa.password_invalid"), 401);
    return finish(request, reply, ui, s, ["pwd"]);
  });

  // Setting up an authenticator app at sign-in: the key, a code from it, then the recovery codes.
  const totpAllowed = (): boolean => ctx.config.authentication.secondary_authenticators.includes("totp");
  async function renderTotp(request: FastifyRequest, reply: FastifyReply, ui: Ui, s: Step, error: string | null, status = 200): Promise<FastifyReply> {
    const secret = (await ctx.storage.totp.get(s.user.id))?.secret ?? null;
    if (!secret) return stepExpired(reply, ui);
    const qr = await qrCodeDataUrl(totpUri(new URL(ctx.issuer).host, await accountLabel(ctx, s.user), secret));
    return sendHtml(ctx, reply, totpSetupAtLoginPage(ui, { csrf: pageCsrf(ctx, request, reply), qrDataUrl: qr, secret, error }), status);
  }

  app.get("/login/mfa/setup/totp", async (request, reply) => {
    const ui = uiFor(ctx, request);
    const s = await step(request);
    if (!s || !totpAllowed() || !(await beginTotpSetup(ctx, s.user))) return stepExpired(reply, ui);
    return renderTotp(request, reply, ui, s, null);
  });

  app.post("/login/mfa/setup/totp", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { code: 32 });
    if (!form.ok) return form.reply;
    const s = await step(request);
    if (!s || !totpAllowed()) return stepExpired(reply, form.ui);
    const codes = await confirmTotpSetup(ctx, s.user, { code: form.fields.code });
    if (!codes) return renderTotp(request, reply, form.ui, s, form.ui.t("totp_setup.error.invalid"), 400);
    return sendHtml(ctx, reply, recoveryAtLoginPage(form.ui, { csrf: pageCsrf(ctx, request, reply), codes }));
  });

  // Only an app confirmed during this very login (after its pending step began) lets it go on.
  app.post("/login/mfa/setup/totp/done", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, {});
    if (!form.ok) return form.reply;
    const s = await step(request);
    const totp = s ? await ctx.storage.totp.get(s.user.id) : null;
    if (!s || totp?.confirmedAt == null || totp.confirmedAt < s.pending.createdAt) return stepExpired(reply, form.ui);
    return finish(request, reply, form.ui, s, ["otp"]);
  });
}
