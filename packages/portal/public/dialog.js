// Modal dialogs on the native <dialog> element: focus is trapped by the browser, Escape closes,
// and the action runs inside the dialog so its errors are shown right where the operator is.
import { h, nextId } from "./dom.js";
import { errorMessage } from "./api.js";

/**
 * openDialog({
 *   title, description, confirmLabel, tone: "primary" | "danger",
 *   fields: [{ name, label, type: "text" | "password" | "textarea" | "checkbox", hint, autocomplete, maxlength, minlength, required }],
 *   canConfirm(values) → boolean,           // e.g. the typed email matches
 *   onConfirm(values) → Promise<any>,        // throw to keep the dialog open with the error shown
 * }) → Promise<result | null>                // null when cancelled
 */
export function openDialog({ title, description, confirmLabel = "Confirm", tone = "primary", fields = [], canConfirm, onConfirm }) {
  return new Promise((resolve) => {
    const titleId = nextId("dlg-title");
    const descId = nextId("dlg-desc");
    const opener = document.activeElement;
    let busy = false;
    let result = null;

    const inputs = fields.map((f) => {
      const id = nextId("dlg-field");
      const hintId = f.hint ? `${id}-hint` : undefined;
      const common = {
        id, name: f.name, autocomplete: f.autocomplete ?? "off", spellcheck: "false",
        maxlength: f.maxlength, minlength: f.minlength, required: f.required, "aria-describedby": hintId,
      };
      const input = f.type === "textarea"
        ? h("textarea", { ...common, rows: 3 })
        : h("input", { ...common, type: f.type ?? "text" });
      const field = f.type === "checkbox"
        ? h("div", { class: "field field-check" }, input, h("label", { for: id }, f.label))
        : h("div", { class: "field" },
          h("label", { for: id }, f.label),
          input,
          f.hint ? h("p", { class: "hint", id: hintId }, f.hint) : null);
      return { f, input, field };
    });

    const values = () => Object.fromEntries(inputs.map(({ f, input }) => [f.name, f.type === "checkbox" ? input.checked : input.value]));
    const error = h("div", { class: "notice notice-error", role: "alert", hidden: true });
    const cancel = h("button", { type: "button", class: "btn", onClick: () => dialog.close() }, "Cancel");
    const confirm = h("button", { type: "submit", class: ["btn", tone === "danger" ? "btn-danger" : "btn-primary"] }, confirmLabel);

    const refresh = () => {
      confirm.disabled = busy || (canConfirm ? !canConfirm(values()) : false);
      cancel.disabled = busy;
    };

    const form = h("form", {
      class: "dialog-body",
      novalidate: true,
      onInput: refresh,
      onSubmit: async (event) => {
        event.preventDefault();
        if (busy || (canConfirm && !canConfirm(values()))) return;
        busy = true;
        refresh();
        error.hidden = true;
        confirm.setAttribute("aria-busy", "true");
        try {
          result = onConfirm ? await onConfirm(values()) : true;
          result ??= true;
          busy = false;
          dialog.close();
        } catch (err) {
          busy = false;
          // Field failures come back per field: mark those inputs, and name them with their labels.
          const failed = new Set((err?.errors ?? []).map((e) => e.field));
          for (const { f, input } of inputs) {
            if (failed.has(f.name)) input.setAttribute("aria-invalid", "true");
            else input.removeAttribute("aria-invalid");
          }
          error.textContent = errorMessage(err, Object.fromEntries(fields.map((f) => [f.name, f.label])));
          error.hidden = false;
          refresh();
          (inputs.find(({ f }) => failed.has(f.name))?.input ?? inputs[0]?.input ?? confirm).focus();
        } finally {
          confirm.removeAttribute("aria-busy");
        }
      },
    },
    h("h2", { id: titleId, class: "dialog-title" }, title),
    description ? h("p", { id: descId, class: "dialog-desc" }, description) : null,
    inputs.map(({ field }) => field),
    error,
    h("div", { class: "dialog-actions" }, cancel, confirm));

    const dialog = h("dialog", {
      class: ["dialog", tone === "danger" ? "dialog-danger" : ""],
      "aria-labelledby": titleId,
      "aria-describedby": description ? descId : undefined,
    }, form);

    // Escape raises "cancel": allowed unless the action is in flight.
    dialog.addEventListener("cancel", (event) => { if (busy) event.preventDefault(); });
    // A click on the backdrop (the dialog box itself, outside the padded form) closes it.
    dialog.addEventListener("click", (event) => { if (event.target === dialog && !busy) dialog.close(); });
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(result);
    });

    document.body.append(dialog);
    refresh();
    dialog.showModal();
    // Put the caret in the first field; a bare confirmation starts on Cancel, the safe choice.
    (inputs[0]?.input ?? (tone === "danger" ? cancel : confirm)).focus();
  });
}

/** A yes/no confirmation. Resolves true when confirmed. */
export async function confirmDialog(options) {
  return (await openDialog(options)) !== null;
}
