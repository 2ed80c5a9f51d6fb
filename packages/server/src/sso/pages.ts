// The markup social sign-in adds to the hosted pages: the provider buttons on the login and
// sign-up pages, the "connected accounts" section of the settings page, and the page that says
// why a sign-in with a provider did not work.
import type { FastifyReply } from "fastify";
import type { Context } from "../context.ts";
import type { Config } from "../config/schema.ts";
import type { Identity } from "../domain/identity.ts";
import { escapeHtml, problemBody } from "../http/html.ts";
import type { MessageKey } from "../account/messages/index.ts";
import { accountPage, errorBox, form, hidden } from "../account/ui/layout.ts";
import { sendHtml, type Ui } from "../account/ui/respond.ts";
import { providerByAlias, providerLabel } from "./providers/index.ts";

export const START_PREFIX = "/sso/oauth2/start/";

/** Where a button starts a sign-in (a plain link: starting changes nothing but this browser's cookie). */
export function startPath(alias: string, o: { flowId?: string | null; intent?: "signup" | "link"; csrf?: string } = {}): string {
  const q = new URLSearchParams();
  if (o.flowId) q.set("flow", o.flowId);
  if (o.intent) q.set("intent", o.intent);
  if (o.csrf) q.set("csrf", o.csrf);
  const query = q.toString();
  return `${START_PREFIX}${encodeURIComponent(alias)}${query ? `?${query}` : ""}`;
}

/** The buttons for the login and sign-up pages; empty when no provider is configured. */
export function providerButtons(ui: Ui, config: Config, o: { flowId: string | null; intent?: "signup" }): string {
  const providers = config.identity.oauth.providers;
  if (providers.length === 0) return "";
  const links = providers.map((p) =>
    `<a class="button secondary sso" href="${escapeHtml(startPath(p.alias, { flowId: o.flowId, intent: o.intent }))}">${escapeHtml(ui.t("sso.continue_with", { provider: providerLabel(p) }))}</a>`);
  return `<div class="sso-buttons">${links.join("\n")}</div>\n<p class="divider">${escapeHtml(ui.t("sso.or"))}</p>`;
}

/** The login page's notice while a login_and_link waits for the user to sign in. */
export function linkNotice(ui: Ui, config: Config, alias: string | null): string {
  const p = alias ? providerByAlias(config, alias) : null;
  return p ? `<p class="notice" role="status">${escapeHtml(ui.t("sso.link_notice", { provider: providerLabel(p) }))}</p>` : "";
}

/** Settings: each connected account with its disconnect button, then a connect link per other provider. */
export function connectedAccountsSection(ui: Ui, config: Config, o: { csrf: string; identities: Identity[]; error: string | null }): string {
  const providers = config.identity.oauth.providers;
  const oauth = o.identities.filter((i) => i.type === "oauth");
  if (providers.length === 0 && oauth.length === 0) return "";
  const { t } = ui;
  const rows = oauth.map((i) => {
    const p = providerByAlias(config, i.providerAlias);
    const label = p ? providerLabel(p) : String(i.providerAlias);
    const who = String(i.claims.email ?? i.claims.preferred_username ?? i.claims.name ?? i.providerSubject ?? "");
    const button = form("/settings/oauth/disconnect", `${hidden("csrf", o.csrf)}${hidden("identity", i.id)}<button type="submit" class="secondary" aria-label="${escapeHtml(t("settings.oauth.disconnect_label", { provider: label, who }))}">${escapeHtml(t("settings.oauth.disconnect"))}</button>`, { className: "inline" });
    return `<li><div><strong>${escapeHtml(label)}</strong><br><span class="muted">${escapeHtml(who)}</span></div>${button}</li>`;
  });
  const linked = new Set(oauth.map((i) => i.providerAlias));
  const connect = providers.filter((p) => !linked.has(p.alias)).map((p) =>
    `<a href="${escapeHtml(startPath(p.alias, { intent: "link", csrf: o.csrf }))}">${escapeHtml(t("settings.oauth.connect", { provider: providerLabel(p) }))}</a>`);
  return `<section aria-labelledby="oauth-heading"><h2 id="oauth-heading">${escapeHtml(t("settings.oauth.heading"))}</h2>
${errorBox(o.error, "oauth-error")}
${rows.length ? `<ul class="sessions">${rows.join("\n")}</ul>` : `<p>${escapeHtml(t("settings.oauth.none"))}</p>`}
${connect.length ? `<div class="links">${connect.join("\n")}</div>` : ""}
</section>`;
}

/** Why a sign-in with a provider ended here; never a 500, never the provider's raw answer. */
export function sendSsoProblem(
  ctx: Context, reply: FastifyReply, ui: Ui, status: number, o: { provider: string; message: MessageKey; error?: string; back?: string; detail?: string },
): FastifyReply {
  const title = ui.t("sso.error.title", { provider: o.provider });
  // `detail`: words from elsewhere shown after ours (a user.pre_create hook's title and reason).
  const message = ui.t(o.message, { provider: o.provider, error: o.error ?? "" }) + (o.detail ? ` ${o.detail}` : "");
  const body = problemBody(title, message, { href: o.back ?? "/login", label: ui.t("sso.back") });
  return sendHtml(ctx, reply, accountPage({ ...ui, title, body }), status);
}
