// The second login step: a TOTP code, or a recovery code.
import { escapeHtml } from "../../http/html.ts";
import { accountPage, codeField, errorBox, field, form, hidden } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";

export interface SecondFactorView {
  csrf: string;
  email: string;
  error: string | null;
}

export function totpLoginPage(ui: Ui, v: SecondFactorView): string {
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("totp_login.title"),
    body: `<h1>${escapeHtml(t("totp_login.heading"))}</h1>
${errorBox(v.error)}
<p>${escapeHtml(t("totp_login.intro", { email: v.email }))}</p>
${form("/login/totp", `${hidden("csrf", v.csrf)}\n${codeField({ id: "code", label: t("totp_login.label"), invalid: v.error !== null })}\n<button type="submit">${escapeHtml(t("totp_login.submit"))}</button>`)}
<p class="alt"><a href="/login/recovery">${escapeHtml(t("totp_login.use_recovery"))}</a></p>`,
  });
}

export function recoveryLoginPage(ui: Ui, v: SecondFactorView): string {
  const { t } = ui;
  const input = field({
    id: "recovery_code", label: t("recovery_login.label"), autocomplete: "off", maxlength: 20, autofocus: true,
    invalid: v.error !== null, describedBy: v.error ? "form-error" : undefined,
  });
  return accountPage({
    ...ui,
    title: t("recovery_login.title"),
    body: `<h1>${escapeHtml(t("recovery_login.heading"))}</h1>
${errorBox(v.error)}
<p>${escapeHtml(t("recovery_login.intro"))}</p>
${form("/login/recovery", `${hidden("csrf", v.csrf)}\n${input}\n<button type="submit">${escapeHtml(t("recovery_login.submit"))}</button>`)}
<p class="alt"><a href="/login/totp">${escapeHtml(t("recovery_login.use_totp"))}</a></p>`,
  });
}
