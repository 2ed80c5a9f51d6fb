// The login and sign-up pages. Strings come from the account message catalogue
// (account/messages/en.ts); the layout and fields from account/ui/layout.ts.
import { escapeHtml } from "../http/html.ts";
import { policyHelp } from "../account/policy/describe.ts";
import type { PasswordPolicy } from "../account/policy/password-policy.ts";
import { accountPage, errorBox, field, hidden } from "../account/ui/layout.ts";
import type { Ui } from "../account/ui/respond.ts";
import { fieldError, fieldState, firstInvalid, type FieldErrors } from "../account/ui/field-errors.ts";
import { passwordToggle } from "../account/ui/reveal.ts";
import type { LoginIdKeyConfig } from "../config/identity.ts";
import { inSentence, keysLabel, signInField, signInFieldName, signUpFields } from "./login-id-fields.ts";

export interface FormView {
  flowId: string | null;
  csrf: string;
  /** The configured login-ID keys (identity.login_id.keys). */
  keys: LoginIdKeyConfig[];
  /** What was typed, by field name (sign-in: signInFieldName; sign-up: each key). */
  values: Record<string, string>;
  error: string | null;
  appName: string;
  /** Missing or wrong fields, by field name (account/ui/field-errors.ts). */
  fieldErrors?: FieldErrors;
  /** Social sign-in markup (sso/pages.ts): the provider buttons, and a notice while a link waits. */
  sso?: string;
}

const hiddenFields = (v: FormView): string => hidden("csrf", v.csrf) + (v.flowId ? hidden("flow", v.flowId) : "");
const flowQuery = (v: FormView): string => (v.flowId ? `?flow=${encodeURIComponent(v.flowId)}` : "");
const describedBy = (v: FormView): string | undefined => (v.error ? "form-error" : undefined);
/** Autofocus: the first field with an error, else the first login-ID field. */
const focusOn = (v: FormView, id: string, first: string): boolean => (firstInvalid(v.fieldErrors) ?? first) === id;

export function loginPage(ui: Ui, v: FormView): string {
  const { t } = ui;
  const heading = v.appName ? t("login.heading_app", { app: v.appName }) : t("login.heading");
  return accountPage({
    ...ui,
    title: t("login.title"),
    body: `<h1>${escapeHtml(heading)}</h1>
${errorBox(v.error)}
${v.sso ?? ""}
<form method="post" action="/login" novalidate>
${hiddenFields(v)}
${signInField(ui, v.keys, v.values, { errors: v.fieldErrors, describedBy: describedBy(v), focus: (id) => focusOn(v, id, signInFieldName(v.keys)) })}
${field({ id: "password", type: "password", label: t("form.password"), autocomplete: "current-password", maxlength: 256, autofocus: focusOn(v, "password", signInFieldName(v.keys)), ...fieldState("password", v.fieldErrors, describedBy(v)) })}
${passwordToggle(t, "password")}${fieldError("password", v.fieldErrors)}
<button type="submit">${escapeHtml(t("login.submit"))}</button>
</form>
<div class="links"><a href="/forgot">${escapeHtml(t("login.forgot"))}</a><span>${escapeHtml(t("login.no_account"))} <a href="/signup${flowQuery(v)}">${escapeHtml(t("login.create_one"))}</a></span></div>`,
  });
}

export function signupPage(ui: Ui, v: FormView, policy: PasswordPolicy): string {
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("signup.title"),
    body: `<h1>${escapeHtml(t("signup.heading"))}</h1>
${errorBox(v.error)}
${v.sso ?? ""}
<form method="post" action="/signup" novalidate>
${hiddenFields(v)}
${v.keys.length > 1 ? `<p class="muted">${escapeHtml(t("login_id.error.required", { fields: inSentence(ui, keysLabel(ui, v.keys)) }))}</p>\n` : ""}${signUpFields(ui, v.keys, v.values, { errors: v.fieldErrors, describedBy: describedBy(v), focus: (id) => focusOn(v, id, v.keys[0].key) })}
${field({ id: "password", type: "password", label: t("form.password"), autocomplete: "new-password", maxlength: 256, minlength: policy.min_length, autofocus: focusOn(v, "password", v.keys[0].key), ...fieldState("password", v.fieldErrors, "password-help") })}
${passwordToggle(t, "password")}${fieldError("password", v.fieldErrors)}
${policyHelp(t, policy, "password-help")}
<button type="submit">${escapeHtml(t("signup.submit"))}</button>
</form>
<p class="alt">${escapeHtml(t("signup.have_account"))} <a href="/login${flowQuery(v)}">${escapeHtml(t("signup.sign_in"))}</a></p>`,
  });
}

export function signedInPage(ui: Ui, email: string): string {
  const { t } = ui;
  return accountPage({
    ...ui,
    title: t("settings.title"),
    body: `<h1>${escapeHtml(t("settings.heading"))}</h1><p>${escapeHtml(t("settings.signed_in_as", { email }))}</p>
<div class="links"><a href="/settings">${escapeHtml(t("settings.title"))}</a><a href="/oauth2/end_session">${escapeHtml(t("settings.sign_out"))}</a></div>`,
  });
}
