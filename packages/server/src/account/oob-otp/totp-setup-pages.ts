// Setting up an authenticator app while signing in (secondary_authentication_mode: required).
import { escapeHtml } from "../../http/html.ts";
import { accountPage, codeField, errorBox, form, hidden } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";
import { codeActions } from "../ui/reveal.ts";

export function totpSetupAtLoginPage(ui: Ui, v: { csrf: string; qrDataUrl: string; secret: string; error: string | null }): string {
  const { t } = ui;
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
${form("/login/mfa/setup/totp", `${hidden("csrf", v.csrf)}\n${codeField({ id: "code", label: t("form.code"), invalid: v.error !== null })}\n<button type="submit">${escapeHtml(t("totp_setup.submit"))}</button>`)}
<p class="alt"><a href="/login/mfa/setup">${escapeHtml(t("mfa.setup.other"))}</a></p>`,
  });
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
