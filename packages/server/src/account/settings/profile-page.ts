// /settings/profile: the attributes the end user may edit (user_profile access control `end_user:
// readwrite`) as a form, and those they may only read, listed.
import { escapeHtml } from "../../http/html.ts";
import type { MessageKey } from "../messages/index.ts";
import { accountPage, errorBox, form, hidden, noticeBox } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";

export interface ProfileField {
  /** The form field name: `sa_<standard name>` or `ca_<custom pointer name>`. */
  name: string;
  /** A standard attribute's name (its label comes from the catalogue), or a custom attribute's pointer name. */
  attribute: string;
  standard: boolean;
  value: string;
  type: "text" | "url" | "email" | "tel" | "number";
  options?: string[];
}

export interface ProfileView {
  csrf: string;
  editable: ProfileField[];
  readonly: { attribute: string; standard: boolean; value: string }[];
  notice: string | null;
  error: string | null;
}

const label = (ui: Ui, attribute: string, standard: boolean): string =>
  standard ? ui.t(`profile.attr.${attribute}` as MessageKey) : attribute.replace(/_/g, " ");

function input(ui: Ui, f: ProfileField): string {
  const id = escapeHtml(f.name);
  const control = f.options
    ? `<select id="${id}" name="${id}"><option value=""></option>${f.options.map((o) => `<option${o === f.value ? " selected" : ""}>${escapeHtml(o)}</option>`).join("")}</select>`
    : `<input id="${id}" name="${id}" type="${f.type}" value="${escapeHtml(f.value)}" maxlength="256" autocomplete="off"${f.type === "number" ? ' step="any"' : ""}>`;
  return `<label for="${id}">${escapeHtml(label(ui, f.attribute, f.standard))}</label>\n${control}`;
}

export function profilePage(ui: Ui, v: ProfileView): string {
  const { t } = ui;
  const editable = v.editable.length
    ? form("/settings/profile", [hidden("csrf", v.csrf), `<p class="muted">${escapeHtml(t("profile.hint"))}</p>`, ...v.editable.map((f) => input(ui, f)),
      `<button type="submit">${escapeHtml(t("profile.submit"))}</button>`].join("\n"))
    : `<p>${escapeHtml(t("profile.nothing"))}</p>`;
  const readonly = v.readonly.length
    ? `<section aria-labelledby="readonly-heading"><h2 id="readonly-heading">${escapeHtml(t("profile.readonly_heading"))}</h2><dl>${v.readonly
      .map((r) => `<dt>${escapeHtml(label(ui, r.attribute, r.standard))}</dt><dd>${escapeHtml(r.value)}</dd>`).join("")}</dl></section>`
    : "";
  return accountPage({
    ...ui,
    wide: true,
    title: t("profile.title"),
    body: `<div class="row"><h1>${escapeHtml(t("profile.heading"))}</h1><a href="/settings">${escapeHtml(t("profile.back"))}</a></div>
${noticeBox(v.notice)}
${errorBox(v.error, "form-error")}
${editable}
${readonly}`,
  });
}
