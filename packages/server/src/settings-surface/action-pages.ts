// The settings action pages (Authgear's /settings/change_password and /settings/delete_account
// opened by a settings action): each does exactly its one thing for the user who started the
// action — the session must be that user's, the action theirs and still pending — and then sends
// the browser back to the app's redirect URI with the code (actions.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { escapeHtml } from "../http/html.ts";
import { clientInfo } from "../http/client-info.ts";
import { accountLabel } from "../identity/service.ts";
import { changePassword } from "../account/settings/service.ts";
import { policyError, policyHelp } from "../account/policy/describe.ts";
import { missingFields } from "../account/ui/field-errors.ts";
import { accountPage, errorBox, field, form, hidden } from "../account/ui/layout.ts";
import { passwordToggle } from "../account/ui/reveal.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../account/ui/post.ts";
import { seeOther, sendHtml, uiFor, type Ui } from "../account/ui/respond.ts";
import type { Caller } from "../session/caller.ts";
import { clearSessionCookie, sessionCookieSettings } from "../session/cookie.ts";
import type { SettingsActionRow } from "../storage/settings-surface-ports.ts";
import { ACTION_PAGES, finishSettingsAction, pendingAction } from "./actions.ts";
import { scheduleDeletion } from "./account-deletion.ts";
import { SETTINGS_ACTION_ID_PARAM } from "./names.ts";
import { registerUnlinkOAuthPage } from "./unlink-oauth-page.ts";
import { registerLoginIdActionPages } from "./login-id-page.ts";
import { registerLinkOAuthPage } from "./link-oauth-page.ts";
import { unavailable } from "./unavailable.ts";

export function registerSettingsActionPages(app: FastifyInstance, ctx: Context): void {
  registerUnlinkOAuthPage(app, ctx);
  registerLoginIdActionPages(app, ctx);
  registerLinkOAuthPage(app, ctx);
  const policy = ctx.config.authentication.password_policy;

  /** The signed-in caller and their pending action named by the request, or the refusal already sent. */
  async function load(request: FastifyRequest, reply: FastifyReply, action: string, id: unknown): Promise<{ caller: Caller; row: SettingsActionRow } | FastifyReply> {
    const ui = uiFor(ctx, request);
    const caller = await sessionCaller(ctx, request);
    if (!caller) return unavailable(ctx, reply, ui, 403);
    const row = await pendingAction(ctx, id, { action, userId: caller.user.id });
    return row ? { caller, row } : unavailable(ctx, reply, ui);
  }
  const queryId = (request: FastifyRequest): unknown => (request.query as Record<string, unknown>)[SETTINGS_ACTION_ID_PARAM];

  async function back(reply: FastifyReply, ui: Ui, row: SettingsActionRow): Promise<FastifyReply> {
    const location = await finishSettingsAction(ctx, row);
    return location ? seeOther(ctx, reply, location) : unavailable(ctx, reply, ui);
  }

  // change_password
  const passwordPath = ACTION_PAGES.get("change_password")!;
  async function passwordPage(request: FastifyRequest, reply: FastifyReply, ui: Ui, caller: Caller, row: SettingsActionRow, error: string | null, status = 200): Promise<FastifyReply> {
    const { t } = ui;
    const body = `<h1>${escapeHtml(t("settings_action.password.title"))}</h1>
${errorBox(error)}
${form(passwordPath, [
    hidden("csrf", pageCsrf(ctx, request, reply)), hidden(SETTINGS_ACTION_ID_PARAM, row.id),
    hidden("username", await accountLabel(ctx, caller.user)).replace('type="hidden"', 'type="hidden" autocomplete="username"'),
    field({ id: "current", type: "password", label: t("form.current_password"), autocomplete: "current-password", maxlength: 256, autofocus: true }),
    passwordToggle(t, "current"),
    field({ id: "new_password", type: "password", label: t("form.new_password"), autocomplete: "new-password", maxlength: 256, describedBy: "policy-help" }),
    passwordToggle(t, "new_password"),
    policyHelp(t, policy, "policy-help"),
    field({ id: "confirm", type: "password", label: t("form.confirm_password"), autocomplete: "new-password", maxlength: 256 }),
    passwordToggle(t, "confirm"),
    `<button type="submit">${escapeHtml(t("settings.password.submit"))}</button>`,
  ].join("\n"))}`;
    return sendHtml(ctx, reply, accountPage({ ...ui, title: t("settings_action.password.title"), body }), status);
  }

  app.get(passwordPath, async (request, reply) => {
    const loaded = await load(request, reply, "change_password", queryId(request));
    if (!("row" in loaded)) return loaded;
    return passwordPage(request, reply, uiFor(ctx, request), loaded.caller, loaded.row, null);
  });

  app.post(passwordPath, async (request, reply) => {
    const f = acceptForm(ctx, request, reply, { [SETTINGS_ACTION_ID_PARAM]: 64, current: 256, new_password: 256, confirm: 256, username: 254 });
    if (!f.ok) return f.reply;
    const loaded = await load(request, reply, "change_password", f.fields[SETTINGS_ACTION_ID_PARAM]);
    if (!("row" in loaded)) return loaded;
    const { caller, row } = loaded;
    const { ui } = f;
    const missing = missingFields(ui.t, { current_password: f.fields.current, new_password: f.fields.new_password, confirm_password: f.fields.confirm });
    if (missing) return passwordPage(request, reply, ui, caller, row, Object.values(missing).join(" "), 400);
    if (f.fields.new_password !== f.fields.confirm) return passwordPage(request, reply, ui, caller, row, ui.t("policy.error.mismatch"), 400);
    const r = await changePassword(ctx, caller.user, { current: f.fields.current, next: f.fields.new_password, ip: clientInfo(request).ip });
    if (r.kind === "ok") return back(reply, ui, row);
    if (r.kind === "weak") return passwordPage(request, reply, ui, caller, row, policyError(ui.t, r.rules, policy), 400);
    const message = ui.t(r.kind === "invalid" ? "settings.password.error.current" : r.kind === "locked" ? "login.error.locked" : "error.too_many.message");
    return passwordPage(request, reply, ui, caller, row, message, r.kind === "invalid" ? 400 : 429);
  });

  // delete_account (only while account_deletion.scheduled_by_end_user_enabled: the request was refused otherwise)
  const deletePath = ACTION_PAGES.get("delete_account")!;
  function deletePage(request: FastifyRequest, reply: FastifyReply, ui: Ui, row: SettingsActionRow, error: string | null, status = 200): FastifyReply {
    const { t } = ui;
    const body = `<h1>${escapeHtml(t("settings_action.delete.title"))}</h1>
<p id="delete-help">${escapeHtml(t("settings_action.delete.explain", { days: ctx.config.account_deletion.grace_period_days }))}</p>
${errorBox(error)}
${form(deletePath, `${hidden("csrf", pageCsrf(ctx, request, reply))}${hidden(SETTINGS_ACTION_ID_PARAM, row.id)}
<p><input type="checkbox" id="confirm" name="confirm" value="yes" required aria-describedby="delete-help"${error ? ' aria-invalid="true"' : ""}> <label for="confirm">${escapeHtml(t("settings_action.delete.understand"))}</label></p>
<button type="submit" class="danger">${escapeHtml(t("settings_action.delete.submit"))}</button>`)}`;
    return sendHtml(ctx, reply, accountPage({ ...ui, title: t("settings_action.delete.title"), body }), status);
  }

  app.get(deletePath, async (request, reply) => {
    const loaded = await load(request, reply, "delete_account", queryId(request));
    if (!("row" in loaded)) return loaded;
    return deletePage(request, reply, uiFor(ctx, request), loaded.row, null);
  });

  app.post(deletePath, async (request, reply) => {
    const f = acceptForm(ctx, request, reply, { [SETTINGS_ACTION_ID_PARAM]: 64, confirm: 8 });
    if (!f.ok) return f.reply;
    const loaded = await load(request, reply, "delete_account", f.fields[SETTINGS_ACTION_ID_PARAM]);
    if (!("row" in loaded)) return loaded;
    if (!ctx.config.account_deletion.scheduled_by_end_user_enabled) return unavailable(ctx, reply, f.ui, 403);
    if (f.fields.confirm !== "yes") return deletePage(request, reply, f.ui, loaded.row, f.ui.t("settings_action.delete.error.confirm"), 400);
    const user = loaded.caller.user;
    const scheduled = await scheduleDeletion(ctx, user.id, { byAdmin: false, actor: `user:${user.id}` });
    if (!scheduled.ok && scheduled.reason === "hook_denied") {
      // A user.pre_schedule_deletion hook said no: its words, as on the sign-up page.
      const said = [scheduled.title, scheduled.message].filter((x): x is string => Boolean(x)).join(": ");
      return deletePage(request, reply, f.ui, loaded.row, scheduled.failed || !said ? f.ui.t("hooks.error.failed") : said, 403);
    }
    if (!scheduled.ok) return unavailable(ctx, reply, f.ui, 409);
    // The account is disabled now: this browser's session is over too.
    clearSessionCookie(reply, sessionCookieSettings(ctx.config));
    return back(reply, f.ui, loaded.row);
  });
}
