// The pages of sign-in by a one-time code or login link: where to send it, the code, the wait for
// the link, and the page the link opens. Labels tie to their fields; errors are announced.
import { escapeHtml } from "../../http/html.ts";
import { accountPage, codeField, errorBox, field, form, hidden, linkButton, noticeBox } from "../ui/layout.ts";
import { fieldError, fieldState, type FieldErrors } from "../ui/field-errors.ts";
import type { Ui } from "../ui/respond.ts";
import type { MessageKey } from "../messages/index.ts";
import type { OobChannel } from "../../storage/oob-ports.ts";
import { outboxNotice } from "../messaging/outbox-view.ts";

export interface StartView {
  csrf: string;
  flowId: string | null;
  channels: OobChannel[];
  value: string;
  error: string | null;
  fieldErrors?: FieldErrors;
  /** The password page, when a password is a first factor too. */
  passwordHref: string | null;
  appName: string;
}

const START_LABEL: Record<string, MessageKey> = { email: "oob.start.label_email", sms: "oob.start.label_phone", "email,sms": "oob.start.label_any" };

export function startPage(ui: Ui, v: StartView): string {
  const { t } = ui;
  const only = v.channels.length === 1 ? v.channels[0] : null;
  const describedBy = v.error ? "form-error" : only === "sms" ? "login_id-hint" : undefined;
  const input = field({
    id: "login_id", type: only === "email" ? "email" : only === "sms" ? "tel" : "text", label: t(START_LABEL[v.channels.join(",")]),
    autocomplete: only === "sms" ? "tel" : "username", maxlength: 320, value: v.value, autofocus: true, ...fieldState("login_id", v.fieldErrors, describedBy),
  });
  const hint = only === "sms" ? `<p class="muted" id="login_id-hint">${escapeHtml(t("login_id.phone_hint"))}</p>\n` : "";
  const heading = v.appName ? t("oob.start.heading_app", { app: v.appName }) : t("oob.start.heading");
  return accountPage({
    ...ui,
    title: t("oob.start.title"),
    body: `<h1>${escapeHtml(heading)}</h1>
${errorBox(v.error)}
<p>${escapeHtml(t(only === "sms" ? "oob.start.intro_sms" : "oob.start.intro"))}</p>
${form("/login/otp", `${hidden("csrf", v.csrf)}${v.flowId ? hidden("flow", v.flowId) : ""}\n${input}\n${hint}${fieldError("login_id", v.fieldErrors)}\n<button type="submit">${escapeHtml(t("oob.start.submit"))}</button>`)}
${v.passwordHref ? `<p class="alt"><a href="${escapeHtml(v.passwordHref)}">${escapeHtml(t("oob.start.use_password"))}</a></p>` : ""}`,
  });
}

export interface CodeView {
  csrf: string;
  /** Where the code went, as the person typed it. */
  target: string;
  channel: OobChannel;
  action: string;
  resendAction: string;
  extraFields?: string;
  error: string | null;
  notice: string | null;
  outbox: boolean;
  backHref: string;
}

export function codePage(ui: Ui, v: CodeView): string {
  const { t } = ui;
  const extra = v.extraFields ?? "";
  return accountPage({
    ...ui,
    title: t("oob.code.title"),
    body: `<h1>${escapeHtml(t("oob.code.heading"))}</h1>
${errorBox(v.error)}
${noticeBox(v.notice)}
<p>${escapeHtml(t(v.channel === "sms" ? "oob.code.intro_sms" : "oob.code.intro_email", { target: v.target }))}</p>
${outboxNotice(t, v.outbox)}
${form(v.action, `${hidden("csrf", v.csrf)}${extra}\n${codeField({ id: "code", label: t("form.code"), invalid: v.error !== null })}\n<button type="submit">${escapeHtml(t("oob.code.submit"))}</button>`)}
<div class="links">${linkButton(v.resendAction, t("oob.code.resend"), hidden("csrf", v.csrf) + extra)}<a href="${escapeHtml(v.backHref)}">${escapeHtml(t("oob.code.back"))}</a></div>`,
  });
}

export function linkWaitPage(ui: Ui, v: { csrf: string; target: string; error: string | null; notice: string | null; outbox: boolean; backHref: string }): string {
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("oob.link_wait.title"),
    body: `<h1>${escapeHtml(t("oob.link_wait.heading"))}</h1>
${errorBox(v.error)}
${noticeBox(v.notice)}
<p>${escapeHtml(t("oob.link_wait.intro", { target: v.target }))}</p>
${outboxNotice(t, v.outbox)}
${form("/login/otp/link", `${hidden("csrf", v.csrf)}\n<button type="submit">${escapeHtml(t("oob.link_wait.continue"))}</button>`)}
<div class="links">${linkButton("/login/otp/resend", t("oob.code.resend"), hidden("csrf", v.csrf))}<a href="${escapeHtml(v.backHref)}">${escapeHtml(t("oob.code.back"))}</a></div>`,
  });
}

/** What the emailed link opens: a button, so mail scanners that fetch links approve nothing. */
export function linkConfirmPage(ui: Ui, v: { csrf: string; token: string }): string {
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("oob.link_confirm.title"),
    body: `<h1>${escapeHtml(t("oob.link_confirm.heading"))}</h1>
<p>${escapeHtml(t("oob.link_confirm.intro"))}</p>
${form("/login/link", `${hidden("csrf", v.csrf)}${hidden("token", v.token)}\n<button type="submit">${escapeHtml(t("oob.link_confirm.submit"))}</button>`)}`,
  });
}

export function linkDonePage(ui: Ui): string {
  const { t } = ui;
  return accountPage({ ...ui, title: t("oob.link_done.title"), body: `<h1>${escapeHtml(t("oob.link_done.heading"))}</h1>\n<p role="status">${escapeHtml(t("oob.link_done.intro"))}</p>` });
}
