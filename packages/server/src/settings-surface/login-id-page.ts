// The add_/change_ email, phone and username settings actions' page: one field for the new login
// ID (and, to change, which of the user's login IDs of that type), then back to the app. An email
// that becomes the account's primary email is proved first by a code sent to it, as /verify does;
// other login IDs have no verified state in Gatehouse, so none is asked. Same checks as the other
// action pages: the session is the action's user, the action pending, the form's CSRF token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import type { LoginIdKeyConfig } from "../config/identity.ts";
import type { Identity, LoginIdType } from "../domain/identity.ts";
import type { User } from "../domain/user.ts";
import { escapeHtml } from "../http/html.ts";
import { clientInfo } from "../http/client-info.ts";
import { loginIdKeys } from "../identity/login-id/index.ts";
import { addLoginId, changeLoginId } from "../identity/service.ts";
import { normaliseLoginId } from "../identity/login-id/index.ts";
import { inSentence, keyLabel } from "../authui/login-id-fields.ts";
import { checkVerificationCode, sendVerificationCode } from "../account/verification/service.ts";
import { accountPage, codeField, errorBox, field, form, hidden, noticeBox } from "../account/ui/layout.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../account/ui/post.ts";
import { seeOther, sendHtml, uiFor, type Ui } from "../account/ui/respond.ts";
import type { MessageKey } from "../account/messages/index.ts";
import { recordUserEvent, USER_EVENTS, type UserEvent } from "../audit/events.ts";
import { announceUserChanged } from "../session/revocation.ts";
import type { SettingsActionRow } from "../storage/settings-surface-ports.ts";
import { finishSettingsAction, pendingAction } from "./actions.ts";
import { unavailable } from "./unavailable.ts";
import { SETTINGS_ACTION_ID_PARAM } from "./names.ts";
import { LOGIN_ID_ACTIONS, modifiableKeys } from "./login-id-actions.ts";

const TITLE: Record<string, MessageKey> = {
  add_email: "settings_action.login_id.add_email", add_phone: "settings_action.login_id.add_phone", add_username: "settings_action.login_id.add_username",
  change_email: "settings_action.login_id.change_email", change_phone: "settings_action.login_id.change_phone", change_username: "settings_action.login_id.change_username",
};
const INPUT: Record<LoginIdType, { type: "email" | "tel" | "text"; autocomplete: string }> = {
  email: { type: "email", autocomplete: "email" }, phone: { type: "tel", autocomplete: "tel" }, username: { type: "text", autocomplete: "username" },
};

const EVENT: Record<string, UserEvent> = {
  add_email: USER_EVENTS.emailAdded, add_phone: USER_EVENTS.phoneAdded, add_username: USER_EVENTS.usernameAdded,
  change_email: USER_EVENTS.emailUpdated, change_phone: USER_EVENTS.phoneUpdated, change_username: USER_EVENTS.usernameUpdated,
};

interface View { error: string | null; notice?: string | null; value?: string; identityId?: string; codeStep?: boolean; status?: number }

export function registerLoginIdActionPages(app: FastifyInstance, ctx: Context): void {
  for (const [action, { mode, type }] of LOGIN_ID_ACTIONS) {
    const path = `/settings/${action}`;

    /** The user's login IDs this action may change (of its type, under a modifiable key). */
    async function changeable(user: User): Promise<Identity[]> {
      const keys = new Set(modifiableKeys(ctx, type).map((k) => k.key));
      return (await ctx.storage.identities.listByUser(user.id)).filter((i) => i.type === "login_id" && i.loginIdKey !== null && keys.has(i.loginIdKey));
    }

    async function load(request: FastifyRequest, reply: FastifyReply, id: unknown) {
      const ui = uiFor(ctx, request);
      const caller = await sessionCaller(ctx, request);
      if (!caller) return { reply: unavailable(ctx, reply, ui, 403) };
      const row = await pendingAction(ctx, id, { action, userId: caller.user.id });
      if (!row || modifiableKeys(ctx, type).length === 0) return { reply: unavailable(ctx, reply, ui) };
      return { user: caller.user, row, identities: mode === "change" ? await changeable(caller.user) : [] };
    }

    function render(request: FastifyRequest, reply: FastifyReply, ui: Ui, row: SettingsActionRow, identities: Identity[], v: View): FastifyReply {
      const { t } = ui;
      const key = modifiableKeys(ctx, type)[0];
      const label = inSentence(ui, keyLabel(ui, key));
      const inner: string[] = [hidden("csrf", pageCsrf(ctx, request, reply)), hidden(SETTINGS_ACTION_ID_PARAM, row.id)];
      if (mode === "change" && identities.length === 0) {
        inner.length = 0;
      } else if (v.codeStep) {
        inner.push(hidden("login_id", v.value ?? ""), hidden("identity_id", v.identityId ?? ""),
          `<p>${escapeHtml(t("settings_action.login_id.code_sent", { target: v.value ?? "" }))}</p>`,
          codeField({ id: "code", label: t("settings_action.login_id.code"), invalid: v.error !== null }),
          `<button type="submit">${escapeHtml(t("settings_action.login_id.verify"))}</button>`);
      } else {
        if (mode === "change") {
          const options = identities.map((i) => `<option value="${escapeHtml(i.id)}"${i.id === v.identityId ? " selected" : ""}>${escapeHtml(i.originalLoginId ?? i.loginId ?? "")}</option>`);
          inner.push(`<label for="identity_id">${escapeHtml(t("settings_action.login_id.current", { field: label }))}</label>\n<select id="identity_id" name="identity_id">${options.join("")}</select>`);
        }
        inner.push(field({ id: "login_id", type: INPUT[type].type, label: t("settings_action.login_id.new", { field: label }), autocomplete: INPUT[type].autocomplete,
          maxlength: key.max_length, value: v.value ?? "", autofocus: true, invalid: v.error !== null, describedBy: v.error ? "form-error" : undefined }),
        `<button type="submit">${escapeHtml(t(mode === "add" ? "settings_action.login_id.add_submit" : "settings_action.login_id.change_submit"))}</button>`);
      }
      const body = `<h1>${escapeHtml(t(TITLE[action]))}</h1>
${errorBox(v.error)}${noticeBox(v.notice ?? null)}
${inner.length === 0 ? `<p>${escapeHtml(t("settings_action.login_id.none", { field: label }))}</p>` : form(path, inner.join("\n"))}`;
      return sendHtml(ctx, reply, accountPage({ ...ui, title: t(TITLE[action]), body }), v.status ?? 200);
    }

    app.get(path, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const loaded = await load(request, reply, query[SETTINGS_ACTION_ID_PARAM]);
      if ("reply" in loaded) return loaded.reply;
      const q = typeof query.q_login_id === "string" ? query.q_login_id : null;
      const chosen = q === null ? undefined : loaded.identities.find((i) => i.originalLoginId === q || i.loginId === q || i.loginId === normalised(i, q))?.id;
      return render(request, reply, uiFor(ctx, request), loaded.row, loaded.identities, { error: null, identityId: chosen });
    });

    function normalised(i: Identity, typed: string): string | null {
      const key = loginIdKeys(ctx.config).find((k) => k.key === i.loginIdKey);
      const n = key ? normaliseLoginId(ctx.config, key, typed) : null;
      return n && n.ok ? n.loginId : null;
    }

    /** Changed: tokens re-read the user's claims, the audit log says so, and the app gets its code. */
    async function done(user: User, identity: Identity, reply: FastifyReply, ui: Ui, row: SettingsActionRow): Promise<FastifyReply> {
      await announceUserChanged(ctx, user.id);
      await recordUserEvent(ctx, EVENT[action], user, { identity_id: identity.id, key: identity.loginIdKey });
      return back(reply, ui, row);
    }

    app.post(path, async (request, reply) => {
      const f = acceptForm(ctx, request, reply, { [SETTINGS_ACTION_ID_PARAM]: 64, identity_id: 64, login_id: 320, code: 32 });
      if (!f.ok) return f.reply;
      const loaded = await load(request, reply, f.fields[SETTINGS_ACTION_ID_PARAM]);
      if ("reply" in loaded) return loaded.reply;
      const { user, row, identities } = loaded;
      const { ui } = f;
      const typed = f.fields.login_id;
      const old = mode === "change" ? identities.find((i) => i.id === f.fields.identity_id) ?? null : null;
      if (mode === "change" && !old) return render(request, reply, ui, row, identities, { error: null, status: identities.length === 0 ? 404 : 400 });
      const key = old ? modifiableKeys(ctx, type).find((k) => k.key === old.loginIdKey)! : modifiableKeys(ctx, type)[0];
      const again = (error: string | null, status: number, extra: Partial<View> = {}) =>
        render(request, reply, ui, row, identities, { error, status, value: typed, identityId: old?.id, ...extra });
      const n = normaliseLoginId(ctx.config, key, typed);
      if (!n.ok) return again(ui.t(`login_id.error.${n.reason}`, { field: keyLabel(ui, key), fields: inSentence(ui, keyLabel(ui, key)) }), 400);
      const taken = ui.t("settings_action.login_id.taken", { field: inSentence(ui, keyLabel(ui, key)) });
      if (await ctx.storage.identities.findByLoginId(key.key, n.loginId)) return again(taken, 409);

      // The new email becomes the primary one: prove it first (a code to that address), as /verify does.
      const becomesPrimary = type === "email" && (user.email === null || (old !== null && old.loginId === user.email));
      if (becomesPrimary) {
        const target = { id: user.id, email: n.loginId };
        if (f.fields.code.trim() === "") {
          const sent = await sendVerificationCode(ctx, target, { ip: clientInfo(request).ip, t: ui.t });
          const notice = sent.kind === "cooldown" ? ui.t("settings_action.login_id.cooldown", { seconds: sent.seconds }) : null;
          return again(null, 200, { codeStep: true, notice, value: n.loginId });
        }
        const wasVerified = user.isVerified;
        const checked = await checkVerificationCode(ctx, target, f.fields.code);
        if (checked !== "verified") {
          return again(ui.t(checked === "too_many" ? "error.too_many.message" : "settings_action.login_id.code_invalid"), checked === "too_many" ? 429 : 400, { codeStep: true, value: n.loginId });
        }
        const r = old ? await changeLoginId(ctx, user, old.id, n.loginId) : await addLoginId(ctx, user, key.key, n.loginId, { triggeredBy: "user" });
        // Proved: the (new) primary email is verified. Refused: the old email keeps its old state.
        await ctx.storage.users.update(user.id, { isVerified: r.ok ? true : wasVerified }, ctx.now());
        if (!r.ok) return again(taken, 409);
        return done(user, r.identity, reply, ui, row);
      }
      const r = old ? await changeLoginId(ctx, user, old.id, typed) : await addLoginId(ctx, user, key.key, typed, { triggeredBy: "user" });
      if (!r.ok) return again(r.reason === "taken" ? taken : ui.t("settings_action.unavailable.message"), r.reason === "taken" ? 409 : 400);
      return done(user, r.identity, reply, ui, row);
    });
  }

  async function back(reply: FastifyReply, ui: Ui, row: SettingsActionRow): Promise<FastifyReply> {
    const location = await finishSettingsAction(ctx, row);
    return location ? seeOther(ctx, reply, location) : unavailable(ctx, reply, ui);
  }
}
