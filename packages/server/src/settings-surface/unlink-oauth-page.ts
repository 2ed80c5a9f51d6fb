// The unlink_oauth settings action's page (Authgear's settings identity page with
// x_settings_action=unlink_oauth): the user's account at the provider the app named
// (x_oauth_provider_alias), one Disconnect button — never the user's last way to sign in — and back
// to the app. Same checks as the other action pages: the session is the action's user, the action pending.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import type { Identity } from "../domain/identity.ts";
import { escapeHtml } from "../http/html.ts";
import { accountPage, errorBox, form, hidden } from "../account/ui/layout.ts";
import { acceptForm, pageCsrf, sessionCaller } from "../account/ui/post.ts";
import { seeOther, sendHtml, uiFor, type Ui } from "../account/ui/respond.ts";
import { disconnectIdentity } from "../sso/disconnect.ts";
import { providerByAlias, providerLabel } from "../sso/providers/index.ts";
import type { SettingsActionRow } from "../storage/settings-surface-ports.ts";
import { ACTION_PAGES, finishSettingsAction, pendingAction } from "./actions.ts";
import { unavailable } from "./unavailable.ts";
import { SETTINGS_ACTION_ID_PARAM } from "./names.ts";

export function registerUnlinkOAuthPage(app: FastifyInstance, ctx: Context): void {
  const path = ACTION_PAGES.get("unlink_oauth")!;

  async function load(request: FastifyRequest, reply: FastifyReply, id: unknown) {
    const ui = uiFor(ctx, request);
    const caller = await sessionCaller(ctx, request);
    if (!caller) return { reply: unavailable(ctx, reply, ui, 403) };
    const row = await pendingAction(ctx, id, { action: "unlink_oauth", userId: caller.user.id });
    if (!row) return { reply: unavailable(ctx, reply, ui) };
    const identity = (await ctx.storage.identities.listByUser(caller.user.id)).find((i) => i.type === "oauth" && i.providerAlias === row.providerAlias) ?? null;
    return { caller, row, identity };
  }

  function page(request: FastifyRequest, reply: FastifyReply, ui: Ui, row: SettingsActionRow, identity: Identity | null, error: string | null, status = 200): FastifyReply {
    const { t } = ui;
    const p = providerByAlias(ctx.config, row.providerAlias);
    const label = p ? providerLabel(p) : String(row.providerAlias);
    const who = identity ? String(identity.claims.email ?? identity.claims.preferred_username ?? identity.claims.name ?? identity.providerSubject ?? "") : "";
    const body = `<h1>${escapeHtml(t("settings.oauth.heading"))}</h1>
${errorBox(error)}
${identity
    ? `<p><strong>${escapeHtml(label)}</strong><br><span class="muted">${escapeHtml(who)}</span></p>
${form(path, `${hidden("csrf", pageCsrf(ctx, request, reply))}${hidden(SETTINGS_ACTION_ID_PARAM, row.id)}<button type="submit" class="danger" aria-label="${escapeHtml(t("settings.oauth.disconnect_label", { provider: label, who }))}">${escapeHtml(t("settings.oauth.disconnect"))}</button>`)}`
    : `<p>${escapeHtml(t("settings.oauth.none"))}</p>`}`;
    return sendHtml(ctx, reply, accountPage({ ...ui, title: t("settings.oauth.heading"), body }), status);
  }

  app.get(path, async (request, reply) => {
    const loaded = await load(request, reply, (request.query as Record<string, unknown>)[SETTINGS_ACTION_ID_PARAM]);
    if ("reply" in loaded) return loaded.reply;
    return page(request, reply, uiFor(ctx, request), loaded.row, loaded.identity, null);
  });

  app.post(path, async (request, reply) => {
    const f = acceptForm(ctx, request, reply, { [SETTINGS_ACTION_ID_PARAM]: 64 });
    if (!f.ok) return f.reply;
    const loaded = await load(request, reply, f.fields[SETTINGS_ACTION_ID_PARAM]);
    if ("reply" in loaded) return loaded.reply;
    const { caller, row, identity } = loaded;
    if (!identity) return page(request, reply, f.ui, row, null, null, 404);
    const r = await disconnectIdentity(ctx, caller.user, identity.id);
    if (r.kind === "last_way") return page(request, reply, f.ui, row, identity, f.ui.t("settings.oauth.last_way"), 409);
    if (r.kind !== "ok") return unavailable(ctx, reply, f.ui);
    const location = await finishSettingsAction(ctx, row);
    return location ? seeOther(ctx, reply, location) : unavailable(ctx, reply, f.ui);
  });
}
