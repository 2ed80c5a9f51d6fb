// The link_oauth settings action's page: one button that starts the settings page's own connect
// flow (sso/routes.ts, /sso/oauth2/start/<alias>?intent=link, a link with the page's CSRF token as
// on /settings: CSP form-action would stop a form POST redirecting to the provider) at the provider
// the app named (x_oauth_provider_alias). The attempt names this pending action, so the callback
// connects the account and sends the browser back to the app with the code. Already connected: a
// form whose button just returns to the app.
// Same checks as the other action pages: the session is the action's user, the action pending, CSRF.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { escapeHtml } from "../http/html.ts";
import { accountPage, form, hidden } from "../account/ui/layout.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../account/ui/post.ts";
import { seeOther, sendHtml, uiFor, type Ui } from "../account/ui/respond.ts";
import { providerByAlias, providerLabel } from "../sso/providers/index.ts";
import { startPath } from "../sso/pages.ts";
import type { SettingsActionRow } from "../storage/settings-surface-ports.ts";
import { ACTION_PAGES, finishSettingsAction, pendingAction } from "./actions.ts";
import { unavailable } from "./unavailable.ts";
import { SETTINGS_ACTION_ID_PARAM } from "./names.ts";

export function registerLinkOAuthPage(app: FastifyInstance, ctx: Context): void {
  const path = ACTION_PAGES.get("link_oauth")!;

  async function load(request: FastifyRequest, reply: FastifyReply, id: unknown) {
    const ui = uiFor(ctx, request);
    const caller = await sessionCaller(ctx, request);
    if (!caller) return { reply: unavailable(ctx, reply, ui, 403) };
    const row = await pendingAction(ctx, id, { action: "link_oauth", userId: caller.user.id });
    const provider = row ? providerByAlias(ctx.config, row.providerAlias) : null;
    if (!row || !provider) return { reply: unavailable(ctx, reply, ui) };
    const linked = (await ctx.storage.identities.listByUser(caller.user.id)).some((i) => i.type === "oauth" && i.providerAlias === provider.alias);
    return { user: caller.user, row, provider, linked };
  }

  function page(request: FastifyRequest, reply: FastifyReply, ui: Ui, row: SettingsActionRow, alias: string, label: string, linked: boolean, status = 200): FastifyReply {
    const { t } = ui;
    const title = t("settings_action.link.title", { provider: label });
    const csrf = pageCsrf(ctx, request, reply);
    const start = `${startPath(alias, { intent: "link", csrf })}&${SETTINGS_ACTION_ID_PARAM}=${encodeURIComponent(row.id)}`;
    const body = `<h1>${escapeHtml(title)}</h1>
<p id="link-help">${escapeHtml(t(linked ? "settings_action.link.already" : "settings_action.link.explain", { provider: label }))}</p>
${linked
    ? form(path, `${hidden("csrf", csrf)}${hidden(SETTINGS_ACTION_ID_PARAM, row.id)}
<button type="submit" aria-describedby="link-help">${escapeHtml(t("settings_action.link.continue"))}</button>`)
    : `<p><a class="button" href="${escapeHtml(start)}" aria-describedby="link-help">${escapeHtml(t("settings_action.link.submit", { provider: label }))}</a></p>`}`;
    return sendHtml(ctx, reply, accountPage({ ...ui, title, body }), status);
  }

  app.get(path, async (request, reply) => {
    const loaded = await load(request, reply, (request.query as Record<string, unknown>)[SETTINGS_ACTION_ID_PARAM]);
    if ("reply" in loaded) return loaded.reply;
    return page(request, reply, uiFor(ctx, request), loaded.row, loaded.provider.alias, providerLabel(loaded.provider), loaded.linked);
  });

  app.post(path, async (request, reply) => {
    const f = acceptForm(ctx, request, reply, { [SETTINGS_ACTION_ID_PARAM]: 64 });
    if (!f.ok) return f.reply;
    const loaded = await load(request, reply, f.fields[SETTINGS_ACTION_ID_PARAM]);
    if ("reply" in loaded) return loaded.reply;
    const { row, provider, linked } = loaded;
    // Only "already connected" posts here; connecting goes through the provider and its callback.
    if (!linked) return page(request, reply, f.ui, row, provider.alias, providerLabel(provider), false, 409);
    const location = await finishSettingsAction(ctx, row);
    return location ? seeOther(ctx, reply, location) : unavailable(ctx, reply, f.ui);
  });
}
