// /forgot, /reset/code and /reset: ask for a reset, trade the emailed code (or follow the emailed
// link) for the new-password form, and set the new password.
import { clientInfo } from "../../http/client-info.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { accountLimits } from "../limits/buckets.ts";
import { policyError } from "../policy/describe.ts";
import { acceptForm, pageCsrf } from "../ui/post.ts";
import { missingFields } from "../ui/field-errors.ts";
import { sendHtml, sendProblemPage, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { forgotPage, newPasswordPage, resetSentPage } from "./pages.ts";
import { outboxShown } from "../messaging/outbox-view.ts";
import { completePasswordReset, redeemResetCode, requestPasswordReset, resetLinkTarget } from "./service.ts";

export function registerResetRoutes(app: FastifyInstance, ctx: Context): void {
  const policy = ctx.config.authentication.password_policy;
  // Reset goes by email; with phone or username login IDs some accounts have none: say so.
  const noEmailNote = ctx.config.identity.login_id.keys.some((k) => k.type !== "email");
  const expired = (reply: FastifyReply, ui: Ui): FastifyReply =>
    sendProblemPage(ctx, reply, ui, 400, { title: "reset.expired.title", message: "reset.expired.message" }, { href: "/forgot", label: "forgot.title" });
  const newPassword = (request: FastifyRequest, reply: FastifyReply, ui: Ui, v: { token: string; email: string; error: string | null }, status = 200): FastifyReply =>
    sendHtml(ctx, reply, newPasswordPage(ui, { ...v, csrf: pageCsrf(ctx, request, reply), policy }), status);

  app.get("/forgot", async (request, reply) => {
    const ui = uiFor(ctx, request);
    return sendHtml(ctx, reply, forgotPage(ui, { csrf: pageCsrf(ctx, request, reply), email: "", error: null, noEmailNote }));
  });

  app.post("/forgot", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { email: 254 });
    if (!form.ok) return form.reply;
    const email = form.fields.email.trim();
    if (!email) return sendHtml(ctx, reply, forgotPage(form.ui, { csrf: form.csrf, email, error: form.ui.t("form.error.email_required"), noEmailNote }), 400);
    await requestPasswordReset(ctx, { email, ip: clientInfo(request).ip, t: form.ui.t });
    return sendHtml(ctx, reply, resetSentPage(form.ui, { csrf: form.csrf, email, error: null, outboxLink: outboxShown(ctx) }));
  });

  app.post("/reset/code", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { email: 254, code: 32 });
    if (!form.ok) return form.reply;
    const { ui } = form;
    if (!form.fields.code.trim()) return sendHtml(ctx, reply, resetSentPage(ui, { csrf: form.csrf, email: form.fields.email.trim(), error: ui.t("form.error.code_required"), outboxLink: outboxShown(ctx) }), 400);
    // The token is taken before the guess is checked and given back if it was right: checking
    // first would let every parallel guess through before the first one paid.
    const limit = accountLimits(ctx.config).resetCodePerIp;
    const now = ctx.now();
    const allowed = await ctx.rateLimiter.take(limit, clientInfo(request).ip, now);
    if (!allowed.ok) return tooMany(ctx, reply, ui, allowed.retryAfter);
    const email = form.fields.email.trim();
    const result = await redeemResetCode(ctx, { email, code: form.fields.code });
    if (result.kind === "invalid") return sendHtml(ctx, reply, resetSentPage(ui, { csrf: form.csrf, email, error: ui.t("forgot.error.invalid"), outboxLink: outboxShown(ctx) }), 400);
    await ctx.rateLimiter.refund(limit, clientInfo(request).ip, now);
    return newPassword(request, reply, ui, { token: result.token, email, error: null });
  });

  app.get("/reset", async (request, reply) => {
    const ui = uiFor(ctx, request);
    const token = (request.query as Record<string, unknown>).token;
    const target = typeof token === "string" ? await resetLinkTarget(ctx, token) : null;
    if (!target || typeof token !== "string") return expired(reply, ui);
    return newPassword(request, reply, ui, { token, email: target.email, error: null });
  });

  app.post("/reset", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { token: 64, password: 256, confirm: 256 });
    if (!form.ok) return form.reply;
    const { ui, fields } = form;
    const target = await resetLinkTarget(ctx, fields.token);
    if (!target) return expired(reply, ui);
    const missing = missingFields(ui.t, { new_password: fields.password, confirm_password: fields.confirm });
    if (missing) return newPassword(request, reply, ui, { token: fields.token, email: target.email, error: Object.values(missing).join(" ") }, 400);
    if (fields.password !== fields.confirm) return newPassword(request, reply, ui, { token: fields.token, email: target.email, error: ui.t("policy.error.mismatch") }, 400);
    const result = await completePasswordReset(ctx, { token: fields.token, password: fields.password });
    if (result.kind === "invalid") return expired(reply, ui);
    if (result.kind === "weak") return newPassword(request, reply, ui, { token: fields.token, email: target.email, error: policyError(ui.t, result.rules, policy) }, 400);
    return sendProblemPage(ctx, reply, ui, 200, { title: "reset.done.title", message: "reset.done.message" }, { href: "/login", label: "reset.done.sign_in" });
  });
}
