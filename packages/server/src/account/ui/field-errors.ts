// Errors that belong to one field: "Enter your email address" under the email field, tied to it by
// aria-describedby and aria-invalid, rather than one vague message over the whole form.
import { escapeHtml } from "../../http/html.ts";
import type { MessageKey, Translate } from "../messages/index.ts";

export type FieldErrors = Record<string, string>;

const REQUIRED: Record<string, MessageKey> = {
  email: "form.error.email_required",
  password: "form.error.password_required",
  new_password: "form.error.new_password_required",
  confirm_password: "form.error.confirm_password_required",
  current_password: "form.error.current_password_required",
  code: "form.error.code_required",
  recovery_code: "form.error.recovery_code_required",
};

/** What is missing, field by field (whitespace alone counts as missing), or null when nothing is. */
export function missingFields(t: Translate, fields: Record<string, string>): FieldErrors | null {
  const out: FieldErrors = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value.trim() === "") out[name] = t(REQUIRED[name] ?? "form.error.required");
  }
  return Object.keys(out).length > 0 ? out : null;
}

export const fieldErrorId = (field: string): string => `${field}-error`;

/** The message under a field; pair it with `describedBy: fieldErrorId(field)` and `invalid: true`. */
export function fieldError(field: string, errors: FieldErrors | undefined): string {
  const message = errors?.[field];
  return message ? `<p class="field-error" id="${fieldErrorId(field)}">${escapeHtml(message)}</p>` : "";
}

/** The field options that tie a field to its error, when it has one. */
export function fieldState(field: string, errors: FieldErrors | undefined, fallback?: string): { describedBy?: string; invalid?: boolean } {
  if (!errors?.[field]) return { describedBy: fallback };
  return { describedBy: [fieldErrorId(field), fallback].filter(Boolean).join(" "), invalid: true };
}

/** The first field with an error gets the focus, so a keyboard or screen-reader user lands on it. */
export const firstInvalid = (errors: FieldErrors | undefined): string | null => (errors ? Object.keys(errors)[0] ?? null : null);

/** Told only after the right password: the account is disabled, with the operator's reason if any. */
export function disabledMessage(t: Translate, reason: string | null): string {
  return reason && reason.trim() ? t("login.error.disabled_reason", { reason: reason.trim() }) : t("login.error.disabled");
}
