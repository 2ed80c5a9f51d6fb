// Building blocks of the account pages: one layout, labelled fields, status boxes. Every value is
// escaped here; callers pass plain text (already translated) and trusted markup built from these.
import { escapeHtml, page } from "../../http/html.ts";
import type { Translate } from "../messages/index.ts";
import { accountScript } from "./reveal.ts";

export interface PageOptions {
  t: Translate;
  locale: string;
  title: string;
  body: string;
  /** Wider card for the settings page. */
  wide?: boolean;
}

export function accountPage(o: PageOptions): string {
  return page({ title: o.title, body: `${o.body}\n${accountScript()}`, lang: o.locale, productName: o.t("product.name"), wide: o.wide });
}

/** The exact shape test helpers (and humans reading the source) expect for hidden inputs. */
export const hidden = (name: string, value: string): string => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

export const errorBox = (message: string | null, id = "form-error"): string =>
  message ? `<p class="error" role="alert" id="${id}">${escapeHtml(message)}</p>` : "";

export const noticeBox = (message: string | null): string => (message ? `<p class="notice" role="status">${escapeHtml(message)}</p>` : "");

export interface FieldOptions {
  id: string;
  name?: string;
  label: string;
  type?: "text" | "email" | "password" | "tel";
  autocomplete: string;
  value?: string;
  maxlength: number;
  minlength?: number;
  autofocus?: boolean;
  /** Id of the element that explains the field (help text or the form's error). */
  describedBy?: string;
  invalid?: boolean;
  inputmode?: "numeric" | "text";
  pattern?: string;
  /** False for an optional field (one of several login IDs); required by default. */
  required?: boolean;
}

export function field(o: FieldOptions): string {
  const attrs = [
    `id="${escapeHtml(o.id)}"`, `name="${escapeHtml(o.name ?? o.id)}"`, `type="${o.type ?? "text"}"`,
    `autocomplete="${escapeHtml(o.autocomplete)}"`, o.required === false ? "" : "required", `maxlength="${o.maxlength}"`,
    o.minlength ? `minlength="${o.minlength}"` : "",
    o.value !== undefined && o.type !== "password" ? `value="${escapeHtml(o.value)}"` : "",
    o.inputmode ? `inputmode="${o.inputmode}"` : "", o.pattern ? `pattern="${escapeHtml(o.pattern)}"` : "",
    o.describedBy ? `aria-describedby="${escapeHtml(o.describedBy)}"` : "", o.invalid ? 'aria-invalid="true"' : "",
    o.autofocus ? "autofocus" : "", o.type === "text" || !o.type ? 'spellcheck="false" autocapitalize="off"' : "",
  ].filter(Boolean);
  return `<label for="${escapeHtml(o.id)}">${escapeHtml(o.label)}</label>\n<input ${attrs.join(" ")}>`;
}

/** A 6-digit one-time code field: numeric keyboard on phones, autofill from SMS/mail where supported. */
export function codeField(o: { id: string; label: string; invalid: boolean; autofocus?: boolean }): string {
  return field({
    id: o.id, label: o.label, autocomplete: "one-time-code", maxlength: 6, inputmode: "numeric", pattern: "[0-9]{6}",
    autofocus: o.autofocus ?? true, invalid: o.invalid, describedBy: o.invalid ? "form-error" : undefined,
  });
}

export function form(action: string, inner: string, options: { className?: string } = {}): string {
  return `<form method="post" action="${escapeHtml(action)}" novalidate${options.className ? ` class="${options.className}"` : ""}>\n${inner}\n</form>`;
}

/** A POST button that looks like a link: actions that change state are never plain links. */
export function linkButton(action: string, label: string, hiddenFields: string): string {
  return form(action, `${hiddenFields}<button type="submit" class="link">${escapeHtml(label)}</button>`, { className: "inline" });
}

export const ACCOUNT_CSS = `
a,button.link{color:#2456d3}
input[inputmode=numeric]{font:1.35rem ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.35em;text-align:center}
.row h1,.row h2{margin:0}
details{margin-top:.75rem}
summary{cursor:pointer;color:#2456d3;font-weight:600}
details[open] summary{margin-bottom:.25rem}
pre{white-space:pre-wrap;background:#f4f5f7;padding:.75rem;border-radius:8px}
.card.wide{width:min(100%,44rem)}
.notice{background:#e8f3ec;color:#17502c;padding:.6rem .8rem;border-radius:8px}
.muted{color:#5b6272;font-size:.92rem}
.inline{display:inline}
button.link{width:auto;margin:0;padding:0;background:none;color:#2456d3;font-weight:400;text-decoration:underline;cursor:pointer}
button.secondary{background:#fff;color:#1d2330;border:1px solid #b9bfcc}
button.danger{background:#b42318}
.links{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;margin-top:1.25rem}
section{border-top:1px solid #e3e6ec;padding-top:1rem;margin-top:1.25rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
.status{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.85rem;font-weight:600}
.status.ok{background:#e8f3ec;color:#17502c}
.status.warn{background:#fff4e0;color:#7a4b00}
.qr{display:block;margin:1rem auto;width:200px;height:200px;image-rendering:pixelated}
code.secret{display:block;padding:.6rem;background:#f4f5f7;border-radius:8px;font-size:1rem;letter-spacing:.08em;word-break:break-all;text-align:center}
ol.codes{columns:2;font:1.05rem/1.9 ui-monospace,SFMono-Regular,Menlo,monospace;padding-left:1.6rem}
ul.sessions,ul.identities{list-style:none;padding:0;margin:0}
ul.sessions li,ul.identities li{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.6rem 0;border-bottom:1px solid #eef0f4}
ul.sessions li button{width:auto;margin:0;padding:.35rem .8rem;white-space:nowrap}
.row{display:flex;gap:.75rem;align-items:center;justify-content:space-between;flex-wrap:wrap}
.row button{width:auto;margin-top:0}
.row form button{margin-top:0}
input[aria-invalid=true]{border-color:#b42318}
ul.rules{margin:.25rem 0 0;padding-left:1.2rem;color:#5b6272;font-size:.92rem}
.field-error{color:#8a1c1c;margin:.25rem 0 0;font-size:.92rem}
button.reveal{width:auto;margin-top:.5rem;padding:.35rem .8rem;font-weight:400;font-size:.92rem}
.code-actions{display:flex;flex-wrap:wrap;gap:.5rem}
.code-actions button,a.button{width:auto;margin:0;padding:.5rem 1rem;border-radius:8px;font-weight:600;text-decoration:none;display:inline-block}
a.button.secondary{background:#fff;color:#1d2330;border:1px solid #b9bfcc}
`;
