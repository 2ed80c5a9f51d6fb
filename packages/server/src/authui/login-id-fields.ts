// The login-ID inputs of the sign-in and sign-up forms, from identity.login_id.keys: sign-in has one
// field that takes any configured key; sign-up one per key (at least one filled). With Authgear's
// default config (one `email` key) the field is the `email` field it always was.
import type { LoginIdKeyConfig } from "../config/identity.ts";
import type { LoginIdType } from "../domain/identity.ts";
import { field } from "../account/ui/layout.ts";
import { fieldError, fieldState, type FieldErrors } from "../account/ui/field-errors.ts";
import { escapeHtml } from "../http/html.ts";
import type { MessageKey } from "../account/messages/index.ts";
import type { Ui } from "../account/ui/respond.ts";

const LABEL: Record<LoginIdType, MessageKey> = { email: "login_id.email", phone: "login_id.phone", username: "login_id.username" };
const INPUT: Record<LoginIdType, { type: "email" | "tel" | "text"; autocomplete: string }> = {
  email: { type: "email", autocomplete: "email" },
  phone: { type: "tel", autocomplete: "tel" },
  username: { type: "text", autocomplete: "username" },
};

export interface FieldContext {
  errors: FieldErrors | undefined;
  /** The form-level error's id, when there is one. */
  describedBy: string | undefined;
  focus: (id: string) => boolean;
}

/** The sign-in form's field name: the key itself when there is one key, else `login_id`. */
export function signInFieldName(keys: LoginIdKeyConfig[]): string {
  return keys.length === 1 ? keys[0].key : "login_id";
}

/** What the configured keys are called together: "Email", "Email or username", "Email, phone number or username". */
export function keysLabel(ui: Ui, keys: LoginIdKeyConfig[]): string {
  const types = [...new Set(keys.map((k) => k.type))];
  if (types.length === 3) return ui.t("login_id.any");
  // "Email or username", "E-Mail oder Benutzername", "メールアドレスまたはユーザー名": the language's own "or".
  const list = new Intl.ListFormat(ui.t.locale ?? "en", { type: "disjunction" });
  return list.format(types.map((t, i) => (i === 0 ? ui.t(LABEL[t]) : inSentence(ui, ui.t(LABEL[t])))));
}

// Languages that write a common noun in lower case inside a sentence ("your email or username");
// German capitalises nouns, and the CJK and Arabic scripts have no case.
const LOWER_IN_SENTENCE = /^(en|es|fr|pt)\b/;

/** A field's label as it reads inside a sentence of the page's language. */
export function inSentence(ui: Ui, label: string): string {
  return LOWER_IN_SENTENCE.test(ui.t.locale ?? "en") ? label.toLowerCase() : label;
}

export function keyLabel(ui: Ui, key: LoginIdKeyConfig): string {
  return ui.t(LABEL[key.type]);
}

export function signInField(ui: Ui, keys: LoginIdKeyConfig[], values: Record<string, string>, c: FieldContext): string {
  const single = keys.length === 1 ? keys[0] : null;
  const name = signInFieldName(keys);
  return field({
    id: name, type: single ? INPUT[single.type].type : "text", label: keysLabel(ui, keys), autocomplete: "username",
    maxlength: Math.max(...keys.map((k) => k.max_length)), value: values[name] ?? "", autofocus: c.focus(name),
    ...fieldState(name, c.errors, c.describedBy),
  }) + `\n${fieldError(name, c.errors)}`;
}

export function signUpFields(ui: Ui, keys: LoginIdKeyConfig[], values: Record<string, string>, c: FieldContext): string {
  const several = keys.length > 1;
  return keys.map((key) => {
    const label = several ? ui.t("login_id.optional", { field: keyLabel(ui, key) }) : keyLabel(ui, key);
    const hintId = key.type === "phone" ? `${key.key}-hint` : undefined;
    const hint = hintId ? `\n<p class="muted" id="${hintId}">${escapeHtml(ui.t("login_id.phone_hint"))}</p>` : "";
    return field({
      id: key.key, type: INPUT[key.type].type, label, autocomplete: INPUT[key.type].autocomplete, maxlength: key.max_length,
      value: values[key.key] ?? "", autofocus: c.focus(key.key), required: !several,
      ...fieldState(key.key, c.errors, [c.describedBy, hintId].filter(Boolean).join(" ") || undefined),
    }) + hint + `\n${fieldError(key.key, c.errors)}`;
  }).join("\n");
}
