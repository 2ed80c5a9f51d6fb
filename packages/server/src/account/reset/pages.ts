import { escapeHtml } from "../../http/html.ts";
import type { PasswordPolicy } from "../policy/password-policy.ts";
import { policyHelp } from "../policy/describe.ts";
import { accountPage, codeField, errorBox, field, form, hidden } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";
import { passwordToggle } from "../ui/reveal.ts";
import { outboxNotice } from "../messaging/outbox-view.ts";

const backLink = (ui: Ui): string => `<p class="alt"><a href="/login">${escapeHtml(ui.t("forgot.back"))}</a></p>`;

/** `noEmailNote`: some users may have no email (phone or username login IDs): say reset is by email only. */
export function forgotPage(ui: Ui, v: { csrf: string; email: string; error: string | null; noEmailNote?: boolean }): string {
  const { t } = ui;
  const email = field({ id: "email", type: "email", label: t("form.email"), autocomplete: "username", maxlength: 254, value: v.email, autofocus: true });
  return accountPage({
    ...ui,
    title: t("forgot.title"),
    body: `<h1>${escapeHtml(t("forgot.heading"))}</h1>
${errorBox(v.error)}
<p>${escapeHtml(t("forgot.intro"))}</p>
${v.noEmailNote ? `<p class="muted">${escapeHtml(t("forgot.no_email"))}</p>\n` : ""}${form("/forgot", `${hidden("csrf", v.csrf)}\n${email}\n<button type="submit">${escapeHtml(t("forgot.submit"))}</button>`)}
${backLink(ui)}`,
  });
}

export function resetSentPage(ui: Ui, v: { csrf: string; email: string; error: string | null; outboxLink: boolean }): string {
  const { t } = ui;
  const code = codeField({ id: "code", label: t("forgot.sent.code_label"), invalid: v.error !== null });
  return accountPage({
    ...ui,
    title: t("forgot.sent.heading"),
    body: `<h1>${escapeHtml(t("forgot.sent.heading"))}</h1>
${errorBox(v.error)}
<p>${escapeHtml(t("forgot.sent.intro", { email: v.email }))}</p>
${outboxNotice(t, v.outboxLink)}
${form("/reset/code", `${hidden("csrf", v.csrf)}${hidden("email", v.email)}\n${code}\n<button type="submit">${escapeHtml(t("forgot.sent.submit"))}</button>`)}
${backLink(ui)}`,
  });
}

export function newPasswordPage(ui: Ui, v: { csrf: string; token: string; email: string; error: string | null; policy: PasswordPolicy }): string {
  const { t } = ui;
  const fields = [
    hidden("csrf", v.csrf) + hidden("token", v.token),
    hidden("username", v.email).replace('type="hidden"', 'type="hidden" autocomplete="username"'),
    field({ id: "password", type: "password", label: t("form.new_password"), autocomplete: "new-password", maxlength: 256, minlength: v.policy.min_length, autofocus: true, describedBy: "password-help", invalid: v.error !== null }),
    passwordToggle(t, "password"),
    policyHelp(t, v.policy, "password-help"),
    field({ id: "confirm", type: "password", label: t("form.confirm_password"), autocomplete: "new-password", maxlength: 256 }),
    passwordToggle(t, "confirm"),
    `<button type="submit">${escapeHtml(t("reset.submit"))}</button>`,
  ];
  return accountPage({
    ...ui,
    title: t("reset.title"),
    body: `<h1>${escapeHtml(t("reset.heading"))}</h1>
${errorBox(v.error)}
<p>${escapeHtml(t("reset.intro", { email: v.email }))}</p>
${form("/reset", fields.join("\n"))}`,
  });
}
