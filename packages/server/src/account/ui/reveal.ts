// The account pages' only script, served from our origin (CSP script-src 'self', no inline code):
// progressive enhancement that no form depends on. Its buttons are rendered `hidden` and shown by
// the script, so without JavaScript the page is exactly the plain form.
import { escapeHtml } from "../../http/html.ts";
import type { Translate } from "../messages/index.ts";

export const ACCOUNT_JS_PATH = "/_gatehouse/account.js";
export const accountScript = (): string => `<script src="${ACCOUNT_JS_PATH}" defer></script>`;

/** "Show password": a toggle button (aria-pressed) after a password field. */
export function passwordToggle(t: Translate, inputId: string): string {
  return `<button type="button" class="reveal secondary" data-reveal="${escapeHtml(inputId)}" aria-controls="${escapeHtml(inputId)}" aria-pressed="false" hidden>${escapeHtml(t("form.show_password"))}</button>`;
}

/** Copy and download for codes shown once. Download is a plain link (works without script). */
export function codeActions(t: Translate, o: { listId: string; codes: string[]; fileName: string }): string {
  const text = `${o.codes.join("\n")}\n`;
  const href = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  return `<div class="code-actions">
<button type="button" class="secondary" data-copy="${escapeHtml(o.listId)}" data-copied="${escapeHtml(t("recovery_codes.copied"))}" data-copy-failed="${escapeHtml(t("recovery_codes.copy_failed"))}" hidden>${escapeHtml(t("recovery_codes.copy"))}</button>
<a class="button secondary" href="${escapeHtml(href)}" download="${escapeHtml(o.fileName)}">${escapeHtml(t("recovery_codes.download"))}</a>
</div>
<p class="muted" role="status" id="${escapeHtml(o.listId)}-status"></p>`;
}

export const ACCOUNT_JS = `"use strict";
document.querySelectorAll("button[data-reveal]").forEach(function (button) {
  var input = document.getElementById(button.getAttribute("data-reveal"));
  if (!input) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var show = input.type === "password";
    input.type = show ? "text" : "password";
    button.setAttribute("aria-pressed", String(show));
  });
  // Submitted as a password field again, so password managers see what they expect.
  if (input.form) input.form.addEventListener("submit", function () { input.type = "password"; button.setAttribute("aria-pressed", "false"); });
});
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var list = document.getElementById(button.getAttribute("data-copy"));
  var status = document.getElementById(button.getAttribute("data-copy") + "-status");
  if (!list || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var codes = Array.prototype.map.call(list.querySelectorAll("code"), function (c) { return c.textContent; }).join("\\n") + "\\n";
    navigator.clipboard.writeText(codes).then(
      function () { if (status) status.textContent = button.getAttribute("data-copied"); },
      function () { if (status) status.textContent = button.getAttribute("data-copy-failed"); });
  });
});
`;
