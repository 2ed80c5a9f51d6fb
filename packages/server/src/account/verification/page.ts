import { escapeHtml } from "../../http/html.ts";
import { accountPage, codeField, errorBox, form, hidden, linkButton, noticeBox } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";
import { outboxNotice } from "../messaging/outbox-view.ts";

export interface VerifyView {
  csrf: string;
  email: string;
  error: string | null;
  notice: string | null;
  canSkip: boolean;
  required: boolean;
  /** Reached from the settings page rather than in the middle of a login. */
  fromSettings: boolean;
  /** No SMTP and the development outbox page is on (the demo): say where the code went. */
  outboxLink: boolean;
}

export function verifyPage(ui: Ui, v: VerifyView): string {
  const { t } = ui;
  const csrf = hidden("csrf", v.csrf);
  const links = [
    linkButton("/verify/resend", t("verify.resend"), csrf),
    v.canSkip ? linkButton("/verify/skip", t("verify.skip"), csrf) : "",
    v.fromSettings ? `<a href="/settings">${escapeHtml(t("settings.title"))}</a>` : "",
  ].filter(Boolean);
  return accountPage({
    ...ui,
    title: t("verify.title"),
    body: `<h1>${escapeHtml(t("verify.heading"))}</h1>
${noticeBox(v.notice)}${errorBox(v.error)}
<p>${escapeHtml(t("verify.intro", { email: v.email }))}</p>
${outboxNotice(t, v.outboxLink)}
${v.required && !v.fromSettings ? `<p class="muted">${escapeHtml(t("verify.required_note"))}</p>` : ""}
${form("/verify", `${csrf}\n${codeField({ id: "code", label: t("form.code"), invalid: v.error !== null })}\n<button type="submit">${escapeHtml(t("verify.submit"))}</button>`)}
<div class="links">${links.join("\n")}</div>`,
  });
}
