// Setting up an authenticator app while signing in (secondary_authentication_mode: required).
import { escapeHtml } from "../../http/html.ts";
import { accountPage, form, hidden } from "../ui/layout.ts";
import { totpSetupPage } from "../settings/totp-pages.ts";
import type { Ui } from "../ui/respond.ts";
import { codeActions } from "../ui/reveal.ts";

/** The settings page's set-up page, posting to the sign-in's set-up step. */
export function totpSetupAtLoginPage(ui: Ui, v: { csrf: string; qrDataUrl: string; secret: string; error: string | null }): string {
  return totpSetupPage(ui, { ...v, action: "/login/mfa/setup/totp", back: { href: "/login/mfa/setup", label: ui.t("mfa.setup.other") }, autofocus: true });
}

export function recoveryAtLoginPage(ui: Ui, v: { csrf: string; codes: string[] }): string {
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("recovery_codes.title"),
    body: `<h1>${escapeHtml(t("recovery_codes.heading"))}</h1>
<p>${escapeHtml(t("recovery_codes.intro"))}</p>
<ol class="codes" id="recovery-codes">${v.codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("")}</ol>
${codeActions(t, { listId: "recovery-codes", codes: v.codes, fileName: "recovery-codes.txt" })}
${form("/login/mfa/setup/totp/done", `${hidden("csrf", v.csrf)}\n<button type="submit">${escapeHtml(t("oob.code.submit"))}</button>`)}`,
  });
}
