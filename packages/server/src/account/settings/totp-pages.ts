// Turning TOTP on: the QR code and key, then the recovery codes, shown once.
import { escapeHtml } from "../../http/html.ts";
import { accountPage, codeField, errorBox, form, hidden } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";
import { codeActions } from "../ui/reveal.ts";

/**
 * The QR code and key, then one code to confirm. `action`/`back`: where the form posts and the way out
 * (the settings page by default; the sign-in's own set-up step when a second factor is required).
 */
export function totpSetupPage(ui: Ui, v: { csrf: string; qrDataUrl: string; secret: string; error: string | null; action?: string; back?: { href: string; label: string }; autofocus?: boolean }): string {
  const { t } = ui;
  // Groups of four, as authenticator apps show keys; the spaces are ignored when typed.
  const key = v.secret.replace(/(.{4})/g, "$1 ").trim();
  return accountPage({
    ...ui,
    title: t("totp_setup.title"),
    body: `<h1>${escapeHtml(t("totp_setup.heading"))}</h1>
${errorBox(v.error)}
<p>${escapeHtml(t("totp_setup.step1"))}</p>
<img class="qr" src="${escapeHtml(v.qrDataUrl)}" alt="${escapeHtml(t("totp_setup.qr_alt"))}" width="200" height="200">
<p>${escapeHtml(t("totp_setup.manual"))}</p>
<code class="secret" id="totp-secret">${escapeHtml(key)}</code>
<p>${escapeHtml(t("totp_setup.step2"))}</p>
${form(v.action ?? "/settings/totp", `${hidden("csrf", v.csrf)}\n${codeField({ id: "code", label: t("form.code"), invalid: v.error !== null, autofocus: v.autofocus ?? false })}\n<button type="submit">${escapeHtml(t("totp_setup.submit"))}</button>`)}
<p class="alt"><a href="${escapeHtml(v.back?.href ?? "/settings")}">${escapeHtml(v.back?.label ?? t("totp_setup.cancel"))}</a></p>`,
  });
}

export function recoveryCodesPage(ui: Ui, codes: string[]): string {
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("recovery_codes.title"),
    body: `<h1>${escapeHtml(t("recovery_codes.heading"))}</h1>
<p>${escapeHtml(t("recovery_codes.intro"))}</p>
<ol class="codes" id="recovery-codes">${codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("")}</ol>
${codeActions(t, { listId: "recovery-codes", codes, fileName: "recovery-codes.txt" })}
<p class="alt"><a href="/settings">${escapeHtml(t("recovery_codes.done"))}</a></p>`,
  });
}
