// /settings/second-factors: a signed-in user adds the account's own email or phone as a second
// factor (proved by a code first) or removes one — what if_exists then asks for at sign-in.
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { clientInfo } from "../../http/client-info.ts";
import { escapeHtml } from "../../http/html.ts";
import type { Caller } from "../../session/caller.ts";
import { accountPage, form, hidden } from "../ui/layout.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../ui/post.ts";
import { outboxShown } from "../messaging/outbox-view.ts";
import { seeOther, sendHtml, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { codePage } from "./pages.ts";
import { maskTarget, setupOptions } from "./second-factor.ts";
import { checkOob, sendOob } from "./service.ts";

const BASE = "/settings/second-factors";

export function registerSecondFactorSettings(app: FastifyInstance, ctx: Context): void {
  const allowed = ctx.config.authentication.secondary_authenticators.some((a) => a === "oob_otp_email" || a === "oob_otp_sms");
  if (!allowed || ctx.config.authentication.secondary_authentication_mode === "disabled") return;
  /** Codes asked for here are bound to this browser session, as sign-in codes are to their pending login. */
  const binding = (c: Caller): string => `settings:${c.session.kind === "idp_session" ? c.session.id : c.user.id}`;

  async function page(request: FastifyRequest, reply: FastifyReply, ui: Ui, c: Caller): Promise<FastifyReply> {
    const csrf = hidden("csrf", pageCsrf(ctx, request, reply));
    const mine = (await ctx.storage.oobAuthenticators.listByUser(c.user.id)).filter((a) => a.kind === "secondary");
    const has = (ch: string, target: string): boolean => mine.some((a) => a.channel === ch && a.target === target);
    const list = mine.map((a) => `<li>${escapeHtml(maskTarget(a.target))} ${form(`${BASE}/remove`, `${csrf}${hidden("id", a.id)}<button type="submit" class="secondary">${escapeHtml(ui.t("mfa.settings.remove"))}</button>`, { className: "inline" })}</li>`);
    const add = (await setupOptions(ctx, c.user)).flatMap((o) => (o.kind === "oob" && !has(o.channel, o.target)
      ? [form(`${BASE}/send`, `${csrf}${hidden("channel", o.channel)}${hidden("target", o.target)}<button type="submit">${escapeHtml(ui.t(o.channel === "sms" ? "mfa.setup.sms" : "mfa.setup.email", { target: maskTarget(o.target) }))}</button>`)]
      : []));
    return sendHtml(ctx, reply, accountPage({
      ...ui,
      title: ui.t("mfa.settings.title"),
      body: `<h1>${escapeHtml(ui.t("mfa.settings.heading"))}</h1>\n${list.length ? `<ul>${list.join("")}</ul>` : `<p>${escapeHtml(ui.t("mfa.settings.none"))}</p>`}\n${add.join("\n")}\n<p class="alt"><a href="/settings">${escapeHtml(ui.t("profile.back"))}</a></p>`,
    }));
  }

  const signedIn = async (request: FastifyRequest): Promise<Caller | null> => sessionCaller(ctx, request);

  app.get(BASE, async (request, reply) => {
    const c = await signedIn(request);
    return c ? page(request, reply, uiFor(ctx, request), c) : reply.redirect("/login", 302);
  });

  const spec = { channel: 8, target: 320 };
  async function target(c: Caller, f: { channel: string; target: string }): Promise<{ channel: "email" | "sms"; target: string } | null> {
    const o = (await setupOptions(ctx, c.user)).find((x) => x.kind === "oob" && x.channel === f.channel && x.target === f.target);
    return o && o.kind === "oob" ? { channel: o.channel, target: o.target } : null;
  }
  const codeView = (request: FastifyRequest, reply: FastifyReply, ui: Ui, t: { channel: "email" | "sms"; target: string }, msg: { error?: string; notice?: string }, status = 200): FastifyReply =>
    sendHtml(ctx, reply, codePage(ui, {
      csrf: pageCsrf(ctx, request, reply), target: maskTarget(t.target), channel: t.channel, action: `${BASE}/code`, resendAction: `${BASE}/send`,
      extraFields: hidden("channel", t.channel) + hidden("target", t.target), error: msg.error ?? null, notice: msg.notice ?? null, outbox: outboxShown(ctx), backHref: BASE,
    }), status);

  app.post(`${BASE}/send`, async (request, reply) => {
    const f = acceptForm(ctx, request, reply, spec);
    if (!f.ok) return f.reply;
    const c = await signedIn(request);
    if (!c) return seeOther(ctx, reply, "/login");
    const t = await target(c, f.fields);
    if (!t) return seeOther(ctx, reply, BASE);
    const sent = await sendOob(ctx, { purpose: "setup", ...t, pendingId: binding(c), link: false, ip: clientInfo(request).ip, t: f.ui.t });
    if (sent.kind === "rate_limited") return tooMany(ctx, reply, f.ui, sent.retryAfter);
    return codeView(request, reply, f.ui, t, sent.kind === "cooldown" ? { notice: f.ui.t("oob.error.cooldown", { seconds: sent.seconds }) } : {});
  });

  app.post(`${BASE}/code`, async (request, reply) => {
    const f = acceptForm(ctx, request, reply, { ...spec, code: 32 });
    if (!f.ok) return f.reply;
    const c = await signedIn(request);
    if (!c) return seeOther(ctx, reply, "/login");
    const t = await target(c, f.fields);
    if (!t) return seeOther(ctx, reply, BASE);
    const verdict = await checkOob(ctx, { purpose: "setup", ...t, pendingId: binding(c), input: f.fields.code, ip: clientInfo(request).ip });
    if (verdict === "rate_limited") return tooMany(ctx, reply, f.ui, 60);
    if (verdict !== "ok") return codeView(request, reply, f.ui, t, { error: f.ui.t(verdict === "too_many" ? "oob.error.too_many" : "oob.error.invalid") }, 400);
    await ctx.storage.oobAuthenticators.add({ id: randomUUID(), userId: c.user.id, kind: "secondary", channel: t.channel, target: t.target, createdAt: ctx.now() });
    return seeOther(ctx, reply, BASE);
  });

  app.post(`${BASE}/remove`, async (request, reply) => {
    const f = acceptForm(ctx, request, reply, { id: 64 });
    if (!f.ok) return f.reply;
    const c = await signedIn(request);
    if (!c) return seeOther(ctx, reply, "/login");
    await ctx.storage.oobAuthenticators.delete(c.user.id, f.fields.id);
    return seeOther(ctx, reply, BASE);
  });
}

/** The settings page's link here, when second factors by code are on. */
export function secondFactorSettingsLink(ui: Ui, ctx: Pick<Context, "config">): string {
  const a = ctx.config.authentication;
  if (a.secondary_authentication_mode === "disabled" || !a.secondary_authenticators.some((x) => x === "oob_otp_email" || x === "oob_otp_sms")) return "";
  return `<p><a href="${BASE}">${escapeHtml(ui.t("mfa.settings.link"))}</a></p>`;
}
