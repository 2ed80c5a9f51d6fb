// The passkey markup on the login, sign-up and settings pages. Each block is its own small form
// that posts a credential the page's script (passkey-script.ts, a static file under CSP
// script-src 'self') fills in; its buttons are rendered `hidden` and shown only by that script,
// so a browser without JavaScript or WebAuthn sees the plain pages. The WebAuthn options (with
// the server-made challenge) travel in a data attribute: no inline script, no extra request.
import { escapeHtml } from "../../http/html.ts";
import type { Identity } from "../../domain/identity.ts";
import type { PasskeyCredential } from "../../storage/passkey-ports.ts";
import { errorBox, form, hidden } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";

export const PASSKEY_JS_PATH = "/_gatehouse/passkey.js";
const script = `<script src="${PASSKEY_JS_PATH}" defer></script>`;

const status = (): string => `<p class="muted" role="status" aria-live="polite" data-passkey-status></p>`;
const attrs = (o: Record<string, string>): string => Object.entries(o).map(([k, v]) => ` data-passkey${k ? `-${k}` : ""}="${escapeHtml(v)}"`).join("");
const flowField = (flowId: string | null): string => (flowId ? hidden("flow", flowId) : "");

/** Login: the "Sign in with a passkey" button, and autofill (conditional UI) on the login-ID field `fieldId`. */
export function passkeyLoginBlock(ui: Ui, o: { csrf: string; flowId: string | null; options: unknown; fieldId: string }): string {
  const a = attrs({ "": "login", field: o.fieldId, options: JSON.stringify(o.options), failed: ui.t("passkey.error.cancelled") });
  return `<form method="post" action="/login/passkey" class="passkey" novalidate${a}>
${hidden("csrf", o.csrf)}${flowField(o.flowId)}${hidden("credential", "")}
<button type="button" class="secondary" data-passkey-start hidden>${escapeHtml(ui.t("passkey.login.button"))}</button>
${status()}
</form>
${script}`;
}

/** Sign-up: the login-ID fields of the page's form (`keys`, by id) are copied in, and a passkey is made instead of a password. */
export function passkeySignupBlock(ui: Ui, o: { csrf: string; flowId: string | null; options: unknown; keys: string[] }): string {
  const a = attrs({ "": "signup", copy: o.keys.join(" "), options: JSON.stringify(o.options), failed: ui.t("passkey.error.cancelled"), "need-id": ui.t("passkey.signup.need_id") });
  return `<form method="post" action="/signup/passkey" class="passkey" novalidate${a}>
${hidden("csrf", o.csrf)}${flowField(o.flowId)}${o.keys.map((k) => hidden(k, "")).join("")}${hidden("credential", "")}
<button type="button" class="secondary" data-passkey-start hidden>${escapeHtml(ui.t("passkey.signup.button"))}</button>
${status()}
</form>
${script}`;
}

const day = (ui: Ui, seconds: number): string => new Intl.DateTimeFormat(ui.locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(seconds * 1000));

/** Settings: the user's passkeys, each with a remove button, and "Add a passkey". */
export function passkeySettingsSection(
  ui: Ui, o: { csrf: string; options: unknown; identities: Identity[]; passkeys: PasskeyCredential[]; error: string | null },
): string {
  const { t } = ui;
  const rows = o.passkeys.map((p) => {
    const name = String(o.identities.find((i) => i.id === p.identityId)?.claims.display_name ?? "");
    const date = day(ui, p.createdAt);
    const remove = form("/settings/passkeys/remove", `${hidden("csrf", o.csrf)}${hidden("identity", p.identityId)}<button type="submit" class="secondary" aria-label="${escapeHtml(t("passkey.settings.remove_label", { name, date }))}">${escapeHtml(t("passkey.settings.remove"))}</button>`, { className: "inline" });
    return `<li data-passkey-identity="${escapeHtml(p.identityId)}"><div><strong>${escapeHtml(name)}</strong><br><span>${escapeHtml(t("passkey.settings.added_on", { date }))}</span></div>${remove}</li>`;
  });
  const list = rows.length > 0 ? `<ul class="identities">${rows.join("\n")}</ul>` : `<p class="muted">${escapeHtml(t("passkey.settings.none"))}</p>`;
  const a = attrs({ "": "register", options: JSON.stringify(o.options), failed: t("passkey.settings.add_failed") });
  return `<section aria-labelledby="passkeys-heading"><h2 id="passkeys-heading">${escapeHtml(t("passkey.settings.heading"))}</h2>
<p>${escapeHtml(t("passkey.settings.intro"))}</p>
${errorBox(o.error, "passkey-error")}${list}
<form method="post" action="/settings/passkeys" class="passkey" novalidate${a}>
${hidden("csrf", o.csrf)}${hidden("credential", "")}
<button type="button" data-passkey-start hidden>${escapeHtml(t("passkey.settings.add"))}</button>
${status()}
</form>
${script}
</section>`;
}
