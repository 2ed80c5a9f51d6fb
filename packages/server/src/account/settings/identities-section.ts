// The settings page's "Ways to sign in": every identity of the user (login IDs as typed at
// sign-up, OAuth accounts by provider, passkeys), and a word when the account has no email.
import { escapeHtml } from "../../http/html.ts";
import type { Identity } from "../../domain/identity.ts";
import type { MessageKey } from "../messages/index.ts";
import type { Ui } from "../ui/respond.ts";

const LOGIN_ID_LABEL: Record<string, MessageKey> = { email: "login_id.email", phone: "login_id.phone", username: "login_id.username" };

function describe(ui: Ui, i: Identity): { kind: string; value: string } {
  if (i.type === "login_id") return { kind: ui.t(LOGIN_ID_LABEL[i.loginIdType ?? "username"]), value: i.originalLoginId ?? i.loginId ?? "" };
  if (i.type === "oauth") return { kind: ui.t("settings.identities.oauth", { provider: i.providerAlias ?? "" }), value: String(i.claims.email ?? "") };
  return { kind: ui.t("settings.identities.passkey"), value: String(i.claims.display_name ?? "") };
}

export function identitiesSection(ui: Ui, identities: Identity[], hasEmail: boolean): string {
  const rows = identities.map((i) => {
    const { kind, value } = describe(ui, i);
    return `<li data-identity-type="${escapeHtml(i.type)}"><div><strong>${escapeHtml(kind)}</strong>${value ? `<br><span>${escapeHtml(value)}</span>` : ""}</div></li>`;
  });
  const noEmail = hasEmail ? "" : `\n<p class="muted">${escapeHtml(ui.t("settings.identities.no_email"))}</p>`;
  return `<section aria-labelledby="identities-heading"><h2 id="identities-heading">${escapeHtml(ui.t("settings.identities.heading"))}</h2>
<ul class="identities">${rows.join("\n")}</ul>${noEmail}</section>`;
}
