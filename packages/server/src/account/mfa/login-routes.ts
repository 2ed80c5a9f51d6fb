// /login/totp and /login/recovery: the second factor after the password. Attempts go through the
// same rate limits and lockout as passwords; amr records what was used (pwd+otp+mfa, or
// pwd+x_recovery_code+mfa).
import { accountName } from "../../domain/user.ts";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { clientInfo } from "../../http/client-info.ts";
import type { Context } from "../../context.ts";
import { auditCredentialCheck } from "../../audit/sign-in.ts";
import { guardCredential } from "../limits/guard.ts";
import { countRefusedSignIn } from "../login/sign-in-metrics.ts";
import { afterStep } from "../login/continue.ts";
import { readPending } from "../login/pending.ts";
import type { MessageKey } from "../messages/index.ts";
import { acceptForm, pageCsrf } from "../ui/post.ts";
import { sendHtml, sendProblemPage, tooMany, uiFor, type Ui } from "../ui/respond.ts";
import { recoveryLoginPage, totpLoginPage } from "./login-pages.ts";
import { useRecoveryCode } from "./recovery-codes.ts";
import { checkTotp } from "./totp.ts";
import { missingFields } from "../ui/field-errors.ts";

interface Method {
  path: "/login/totp" | "/login/recovery";
  field: "code" | "recovery_code";
  amr: string[];
  invalid: MessageKey;
  page: typeof totpLoginPage;
  check: (ctx: Context, userId: string, input: string) => Promise<"ok" | "invalid" | "reused">;
}

const recoveryCheck = async (ctx: Context, userId: string, input: string): Promise<"ok" | "invalid"> => ((await useRecoveryCode(ctx, userId, input)) ? "ok" : "invalid");

const METHODS: Method[] = [
  { path: "/login/totp", field: "code", amr: ["otp", "mfa"], invalid: "totp_login.error.invalid", page: totpLoginPage, check: checkTotp },
  { path: "/login/recovery", field: "recovery_code", amr: ["x_recovery_code", "mfa"], invalid: "recovery_login.error.invalid", page: recoveryLoginPage, check: recoveryCheck },
];

export function registerSecondFactorRoutes(app: FastifyInstance, ctx: Context): void {
  const stepExpired = (reply: FastifyReply, ui: Ui): FastifyReply =>
    sendProblemPage(ctx, reply, ui, 400, { title: "error.step_expired.title", message: "error.step_expired.message" }, { href: "/login", label: "forgot.back" });

  for (const m of METHODS) {
    const render = (request: FastifyRequest, reply: FastifyReply, ui: Ui, email: string, error: string | null, status = 200): FastifyReply =>
      sendHtml(ctx, reply, m.page(ui, { csrf: pageCsrf(ctx, request, reply), email, error }), status);

    app.get(m.path, async (request, reply) => {
      const ui = uiFor(request);
      const pending = await readPending(ctx, request, "totp");
      return pending ? render(request, reply, ui, pending.email, null) : stepExpired(reply, ui);
    });

    app.post(m.path, async (request, reply) => {
      const form = acceptForm(ctx, request, reply, { [m.field]: 32 });
      if (!form.ok) return form.reply;
      const { ui } = form;
      const pending = await readPending(ctx, request, "totp");
      const user = pending?.userId ? await ctx.storage.users.get(pending.userId) : null;
      if (!pending || !user || user.disabled) return stepExpired(reply, ui);
      // An empty code is not a guess: said as what is missing, and not counted.
      const missing = missingFields(ui.t, { [m.field]: form.fields[m.field] });
      if (missing) return render(request, reply, ui, pending.email, missing[m.field], 400);
      // A reused code still counts as a failed attempt (whoever sends it may have watched it typed).
      const seen: { verdict: "ok" | "invalid" | "reused" } = { verdict: "invalid" };
      const result = await guardCredential(ctx, { email: accountName(user), ip: clientInfo(request).ip }, async () => {
        seen.verdict = await m.check(ctx, user.id, form.fields[m.field]);
        return seen.verdict === "ok" ? true : null;
      });
      countRefusedSignIn(ctx, result);
      await auditCredentialCheck(ctx, { email: accountName(user), ip: clientInfo(request).ip }, m.field === "code" ? "totp" : "recovery_code", result);
      if (result.kind === "rate_limited") return tooMany(ctx, reply, ui, result.retryAfter);
      if (result.kind === "locked") return render(request, reply, ui, pending.email, ui.t("login.error.locked"), 429);
      if (result.kind === "invalid") return render(request, reply, ui, pending.email, ui.t(seen.verdict === "reused" ? "totp_login.error.reused" : m.invalid), 401);
      const amr = [...pending.amr, ...m.amr];
      return afterStep(ctx, request, reply, { pendingId: pending.id, from: "totp", user, amr, flowId: pending.flowId, stale: () => stepExpired(reply, ui) });
    });
  }
}
