// /verify: the email verification step, reached during a login (pending state) or from settings.
import { withEmail } from "../../domain/user.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clientInfo } from "../../http/client-info.ts";
import type { Context } from "../../context.ts";
import type { PendingLogin } from "../../domain/account.ts";
import type { User } from "../../domain/user.ts";
import { accountLimits } from "../limits/buckets.ts";
import { afterStep } from "../login/continue.ts";
import { completeLogin } from "../login/complete.ts";
import { clearPending, readPending } from "../login/pending.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../ui/post.ts";
import { seeOther, sendHtml, sendProblemPage, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { verifyPage, type VerifyView } from "./page.ts";
import { outboxShown } from "../messaging/outbox-view.ts";
import { phantomCheck, phantomResend } from "./phantom.ts";
import { checkVerificationCode, sendVerificationCode } from "./service.ts";

/** Who is verifying: a login in progress (maybe a phantom sign-up), or a signed-in user from settings. */
// Only a user with an email has anything to verify here.
type Emailed = User & { email: string };
type Subject = { kind: "login"; pending: PendingLogin; user: Emailed | null } | { kind: "settings"; user: Emailed };

async function subjectOf(ctx: Context, request: FastifyRequest): Promise<Subject | null> {
  const pending = await readPending(ctx, request, "verify");
  if (pending) {
    const found = pending.userId ? await ctx.storage.users.get(pending.userId) : null;
    const user = found && withEmail(found);
    if (pending.userId && (!user || user.disabled)) return null;
    return { kind: "login", pending, user };
  }
  const caller = await sessionCaller(ctx, request);
  const user = caller && withEmail(caller.user);
  return user && !user.isVerified ? { kind: "settings", user } : null;
}

export function registerVerificationRoutes(app: FastifyInstance, ctx: Context): void {
  const required = ctx.config.verification.required;
  const stepExpired = (reply: FastifyReply, ui: Ui): FastifyReply =>
    sendProblemPage(ctx, reply, ui, 400, { title: "error.step_expired.title", message: "error.step_expired.message" }, { href: "/login", label: "forgot.back" });

  function render(request: FastifyRequest, reply: FastifyReply, ui: Ui, s: Subject, extra: Partial<VerifyView>, status = 200): FastifyReply {
    const view: VerifyView = {
      csrf: pageCsrf(ctx, request, reply), email: s.kind === "login" ? s.pending.email : s.user.email, error: null, notice: null,
      canSkip: s.kind === "login" && !required, required, fromSettings: s.kind === "settings", outboxLink: outboxShown(ctx), ...extra,
    };
    return sendHtml(ctx, reply, verifyPage(ui, view), status);
  }

  app.get("/verify", async (request, reply) => {
    const ui = uiFor(request);
    const s = await subjectOf(ctx, request);
    if (!s) return (await sessionCaller(ctx, request)) ? seeOther(ctx, reply, "/settings") : stepExpired(reply, ui);
    return render(request, reply, ui, s, {});
  });

  app.post("/verify", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, { code: 32 });
    if (!form.ok) return form.reply;
    const { ui } = form;
    const s = await subjectOf(ctx, request);
    if (!s) return stepExpired(reply, ui);
    if (!form.fields.code.trim()) return render(request, reply, ui, s, { error: ui.t("form.error.code_required") }, 400);
    // The token is taken before the guess is checked and given back if it was right: checking
    // first would let every parallel guess through before the first one paid.
    const limit = accountLimits(ctx.config).verifyCodePerIp;
    const now = ctx.now();
    const allowed = await ctx.rateLimiter.take(limit, clientInfo(request).ip, now);
    if (!allowed.ok) return tooMany(ctx, reply, ui, allowed.retryAfter);
    const result = s.user ? await checkVerificationCode(ctx, s.user, form.fields.code) : phantomCheck(s.kind === "login" ? s.pending.id : "");
    if (result !== "verified" || !s.user) {
      return render(request, reply, ui, s, { error: ui.t(result === "too_many" ? "verify.error.too_many" : "verify.error.invalid") }, 400);
    }
    await ctx.rateLimiter.refund(limit, clientInfo(request).ip, now);
    if (s.kind === "settings") return seeOther(ctx, reply, "/settings?notice=verified");
    const user = { ...s.user, isVerified: true };
    return afterStep(ctx, request, reply, { pendingId: s.pending.id, from: "verify", user, amr: s.pending.amr, flowId: s.pending.flowId, stale: () => stepExpired(reply, ui) });
  });

  app.post("/verify/resend", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, {});
    if (!form.ok) return form.reply;
    const { ui } = form;
    const s = await subjectOf(ctx, request);
    if (!s) return stepExpired(reply, ui);
    const result = s.user ? await sendVerificationCode(ctx, s.user, { ip: clientInfo(request).ip }) : phantomResend(s.kind === "login" ? s.pending.id : "", ctx.now());
    const email = s.kind === "login" ? s.pending.email : s.user.email;
    return result.kind === "sent"
      ? render(request, reply, ui, s, { notice: ui.t("verify.resent", { email }) })
      : render(request, reply, ui, s, { error: ui.t("verify.cooldown", { seconds: result.seconds }) }, 429);
  });

  app.post("/verify/skip", async (request, reply) => {
    const form = acceptForm(ctx, request, reply, {});
    if (!form.ok) return form.reply;
    const s = await subjectOf(ctx, request);
    // Skipping is only offered when verification is optional, and only in a login.
    if (!s || s.kind !== "login" || !s.user || required) return stepExpired(reply, form.ui);
    if (!(await ctx.storage.pendingLogins.advance(s.pending.id, "verify", null, ctx.now()))) return stepExpired(reply, form.ui);
    clearPending(ctx, reply);
    return completeLogin(ctx, request, reply, s.user, s.pending.amr, s.pending.flowId);
  });
}

