// Sign-in (and sign-up) by a one-time code or login link as the first factor
// (authentication.primary_authenticators: oob_otp_email, oob_otp_sms):
//   GET|POST /login/otp         where to send it (login_hint fills it in)
//   GET|POST /login/otp/code    the code that was sent
//   GET|POST /login/otp/link    waiting for the emailed link (email_otp_mode: login_link)
//   POST     /login/otp/resend  another code or link, after trigger_cooldown
// The step lives in a pending login (stage "oob", its cookie binds it to this browser) whose
// `email` field holds the normalised target; the code row is bound to that pending login too.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { clientInfo } from "../../http/client-info.ts";
import { candidateKeys, normaliseLoginId } from "../../identity/login-id/index.ts";
import type { OobChannel } from "../../storage/oob-ports.ts";
import type { PendingLogin } from "../../domain/account.ts";
import { afterFirstFactor } from "../login/continue.ts";
import { loadFlow } from "../login/flow.ts";
import { clearPending, readPending, startPending } from "../login/pending.ts";
import { countRefusedSignIn } from "../login/sign-in-metrics.ts";
import { outboxShown } from "../messaging/outbox-view.ts";
import { disabledMessage } from "../ui/field-errors.ts";
import { acceptForm, pageCsrf } from "../ui/post.ts";
import { seeOther, sendHtml, sendProblemPage, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { userForProvedTarget } from "./finish.ts";
import { codePage, linkWaitPage, startPage, type StartView } from "./pages.ts";
import { checkOob, oobAmr, sendOob, useApprovedLink, type SendResult } from "./service.ts";

const CHANNEL_OF: Record<string, OobChannel> = { oob_otp_email: "email", oob_otp_sms: "sms" };

/** The channels switched on as a first factor, in the configured order. */
export function primaryChannels(ctx: Pick<Context, "config">): OobChannel[] {
  return ctx.config.authentication.primary_authenticators.flatMap((a) => (CHANNEL_OF[a] ? [CHANNEL_OF[a]] : []));
}

/** A pending target's channel: only emails hold an @ (phone numbers are E.164). */
export const channelOf = (target: string): OobChannel => (target.includes("@") ? "email" : "sms");

const linkMode = (ctx: Context, channel: OobChannel): boolean => channel === "email" && ctx.config.authenticator.oob_otp.email.email_otp_mode === "login_link";

/** What was typed, as a target of an enabled channel: the first configured key it fits. */
function resolveTarget(ctx: Context, typed: string, channels: OobChannel[]): { channel: OobChannel; target: string; original: string } | null {
  for (const key of candidateKeys(ctx.config, typed)) {
    const channel: OobChannel | null = key.type === "email" ? "email" : key.type === "phone" ? "sms" : null;
    if (!channel || !channels.includes(channel)) continue;
    const n = normaliseLoginId(ctx.config, key, typed);
    if (n.ok) return { channel, target: n.loginId, original: n.original };
  }
  return null;
}

export function registerPrimaryOobRoutes(app: FastifyInstance, ctx: Context): void {
  const channels = primaryChannels(ctx);
  if (channels.length === 0) return;
  const passwordToo = ctx.config.authentication.primary_authenticators.includes("password");
  const flowQuery = (flowId: string | null): string => (flowId ? `?flow=${encodeURIComponent(flowId)}` : "");
  const stepExpired = (reply: FastifyReply, ui: Ui): FastifyReply =>
    sendProblemPage(ctx, reply, ui, 400, { title: "error.step_expired.title", message: "error.step_expired.message" }, { href: "/login/otp", label: "forgot.back" });

  const renderStart = (request: FastifyRequest, reply: FastifyReply, ui: Ui, v: Omit<StartView, "csrf" | "channels" | "passwordHref">, status = 200): FastifyReply =>
    sendHtml(ctx, reply, startPage(ui, { ...v, csrf: pageCsrf(ctx, request, reply), channels, passwordHref: passwordToo ? `/login${flowQuery(v.flowId)}` : null }), status);

  const renderWait = (request: FastifyRequest, reply: FastifyReply, ui: Ui, p: PendingLogin, msg: { error?: string; notice?: string }, status = 200): FastifyReply => {
    const common = { csrf: pageCsrf(ctx, request, reply), target: p.email, error: msg.error ?? null, notice: msg.notice ?? null, outbox: outboxShown(ctx), backHref: `/login/otp${flowQuery(p.flowId)}` };
    const channel = channelOf(p.email);
    const html = linkMode(ctx, channel)
      ? linkWaitPage(ui, common)
      : codePage(ui, { ...common, channel, action: "/login/otp/code", resendAction: "/login/otp/resend" });
    return sendHtml(ctx, reply, html, status);
  };

  const sendError = (ui: Ui, r: Exclude<SendResult, { kind: "sent" }>): string =>
    r.kind === "cooldown" ? ui.t("oob.error.cooldown", { seconds: r.seconds }) : ui.t("oob.error.rate_limited");

  app.get("/login/otp", async (request, reply) => {
    const flowId = String((request.query as Record<string, unknown>).flow ?? "");
    const flow = await loadFlow(ctx, flowId);
    const ui = uiFor(ctx, request, flow?.ui);
    if (flowId && !flow) return sendProblemPage(ctx, reply, ui, 400, { title: "error.flow_expired.title", message: "error.flow_expired.message" });
    return renderStart(request, reply, ui, { flowId: flow?.id ?? null, value: flow?.loginHint ?? "", error: null, appName: flow?.appName ?? "" });
  });

  app.post("/login/otp", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { flow: 200, login_id: 320 });
    if (!form.ok) return form.reply;
    const flow = await loadFlow(ctx, form.fields.flow);
    const ui = flow ? uiFor(ctx, request, flow.ui) : form.ui;
    if (form.fields.flow && !flow) return sendProblemPage(ctx, reply, ui, 400, { title: "error.flow_expired.title", message: "error.flow_expired.message" });
    const view = { flowId: flow?.id ?? null, value: form.fields.login_id.trim(), appName: flow?.appName ?? "" };
    const resolved = resolveTarget(ctx, form.fields.login_id, channels);
    if (!resolved) {
      const key = form.fields.login_id.trim() === "" ? "oob.error.required" : channels.length === 1 && channels[0] === "sms" ? "oob.error.invalid_phone" : channels.length === 1 ? "oob.error.invalid_email" : "oob.error.invalid_any";
      return renderStart(request, reply, ui, { ...view, error: null, fieldErrors: { login_id: ui.t(key) } }, 400);
    }
    const ip = clientInfo(request).ip;
    // The pending login is made first (the code is bound to it); a refused send leaves it to expire unused.
    const pendingId = await startPending(ctx, reply, { userId: null, email: resolved.target, flowId: flow?.id ?? null, stage: "oob", amr: [] });
    const sent = await sendOob(ctx, { purpose: "login", channel: resolved.channel, target: resolved.target, pendingId, link: linkMode(ctx, resolved.channel), ip, t: ui.t });
    if (sent.kind !== "sent") {
      clearPending(ctx, reply);
      if (sent.kind === "rate_limited") reply.header("retry-after", String(sent.retryAfter));
      return renderStart(request, reply, ui, { ...view, error: sendError(ui, sent) }, 429);
    }
    return seeOther(ctx, reply, linkMode(ctx, resolved.channel) ? "/login/otp/link" : "/login/otp/code");
  });

  for (const path of ["/login/otp/code", "/login/otp/link"]) {
    app.get(path, async (request, reply) => {
      const ui = uiFor(ctx, request);
      const p = await readPending(ctx, request, "oob");
      return p ? renderWait(request, reply, ui, p, {}) : stepExpired(reply, ui);
    });
  }

  app.post("/login/otp/resend", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, {});
    if (!form.ok) return form.reply;
    const p = await readPending(ctx, request, "oob");
    if (!p) return stepExpired(reply, form.ui);
    const channel = channelOf(p.email);
    const sent = await sendOob(ctx, { purpose: "login", channel, target: p.email, pendingId: p.id, link: linkMode(ctx, channel), ip: clientInfo(request).ip, t: form.ui.t });
    if (sent.kind !== "sent") return renderWait(request, reply, form.ui, p, { error: sendError(form.ui, sent) }, 429);
    return renderWait(request, reply, form.ui, p, { notice: form.ui.t("oob.code.resent") });
  });

  /** The target is proved: consume the step (single use), then sign the account in or make it. */
  async function proved(request: FastifyRequest, reply: FastifyReply, ui: Ui, p: PendingLogin): Promise<FastifyReply> {
    if (!(await ctx.storage.pendingLogins.advance(p.id, "oob", null, ctx.now()))) return stepExpired(reply, ui);
    clearPending(ctx, reply);
    const channel = channelOf(p.email);
    const r = await userForProvedTarget(ctx, { channel, target: p.email, original: p.email, ip: clientInfo(request).ip });
    if (r.kind === "rate_limited") return tooMany(ctx, reply, ui, r.retryAfter);
    if (r.user.disabled) return sendHtml(ctx, reply, startPage(ui, { csrf: pageCsrf(ctx, request, reply), flowId: p.flowId, channels, value: "", error: disabledMessage(ui.t, r.user.disabledReason), passwordHref: null, appName: "" }), 403);
    return afterFirstFactor(ctx, request, reply, { user: r.user, flowId: p.flowId, justSignedUp: r.created, amr: oobAmr(channel) });
  }

  app.post("/login/otp/code", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { code: 32 });
    if (!form.ok) return form.reply;
    const { ui } = form;
    const p = await readPending(ctx, request, "oob");
    if (!p) return stepExpired(reply, ui);
    if (form.fields.code.trim() === "") return renderWait(request, reply, ui, p, { error: ui.t("form.error.code_required") }, 400);
    const verdict = await checkOob(ctx, { purpose: "login", channel: channelOf(p.email), target: p.email, pendingId: p.id, input: form.fields.code, ip: clientInfo(request).ip });
    if (verdict === "rate_limited") return tooMany(ctx, reply, ui, 60);
    if (verdict !== "ok") {
      countRefusedSignIn(ctx, { kind: "invalid" });
      return renderWait(request, reply, ui, p, { error: ui.t(verdict === "too_many" ? "oob.error.too_many" : "oob.error.invalid") }, 400);
    }
    return proved(request, reply, ui, p);
  });

  app.post("/login/otp/link", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, {});
    if (!form.ok) return form.reply;
    const p = await readPending(ctx, request, "oob");
    if (!p) return stepExpired(reply, form.ui);
    if (!(await useApprovedLink(ctx, { purpose: "login", target: p.email, pendingId: p.id }))) {
      return renderWait(request, reply, form.ui, p, { error: form.ui.t("oob.error.link_not_opened") }, 400);
    }
    return proved(request, reply, form.ui, p);
  });
}
