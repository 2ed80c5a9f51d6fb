// The second-factor pages beside TOTP: choose a code by email/SMS or the password; set one up.
import { escapeHtml } from "../../http/html.ts";
import { accountPage, errorBox, field, form, hidden } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";
import type { SecondFactors, SetupOption } from "./second-factor.ts";
import { maskTarget } from "./second-factor.ts";

export function chooserPage(ui: Ui, v: { csrf: string; factors: SecondFactors; error: string | null }): string {
  const { t } = ui;
  const csrf = hidden("csrf", v.csrf);
  const oob = v.factors.oob.map((a) => form("/login/mfa/send", `${csrf}${hidden("id", a.id)}<button type="submit">${escapeHtml(t(a.channel === "sms" ? "mfa.send_sms" : "mfa.send_email", { target: maskTarget(a.target) }))}</button>`)).join("\n");
  const password = v.factors.password
    ? form("/login/mfa/password", `${csrf}\n${field({ id: "password", type: "password", label: t("form.password"), autocomplete: "current-password", maxlength: 256, invalid: v.error !== null, describedBy: v.error ? "form-error" : undefined })}\n<button type="submit">${escapeHtml(t("mfa.password_submit"))}</button>`)
    : "";
  const totp = v.factors.totp ? `<p class="alt"><a href="/login/totp">${escapeHtml(t("mfa.use_totp"))}</a></p>` : "";
  return accountPage({
    ...ui,
    title: t("mfa.title"),
    body: `<h1>${escapeHtml(t("mfa.heading"))}</h1>\n${errorBox(v.error)}\n<p>${escapeHtml(t("mfa.intro"))}</p>\n${oob}\n${password}\n${totp}`,
  });
}

export function setupPage(ui: Ui, v: { csrf: string; options: SetupOption[]; error: string | null }): string {
  const { t } = ui;
  const csrf = hidden("csrf", v.csrf);
  const items = v.options.map((o) => o.kind === "totp"
    ? `<p><a href="/login/mfa/setup/totp">${escapeHtml(t("mfa.setup.totp"))}</a></p>`
    : form("/login/mfa/setup/send", `${csrf}${hidden("channel", o.channel)}${hidden("target", o.target)}<button type="submit">${escapeHtml(t(o.channel === "sms" ? "mfa.setup.sms" : "mfa.setup.email", { target: maskTarget(o.target) }))}</button>`));
  return accountPage({
    ...ui,
    title: t("mfa.setup.title"),
    body: `<h1>${escapeHtml(t("mfa.setup.heading"))}</h1>\n${errorBox(v.error)}\n<p>${escapeHtml(t(v.options.length ? "mfa.setup.intro" : "mfa.setup.none"))}</p>\n${items.join("\n")}`,
  });
}
