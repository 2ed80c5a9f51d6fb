// OAuth clients ("applications") and their token settings. Saving sends only the changed fields;
// the API validates them and its problem detail is shown next to the form.
import { h, badge, formatDuration, nextId, notice } from "../dom.js";
import * as api from "../api.js";

const NUMBER_FIELDS = [
  { name: "access_token_lifetime_seconds", label: "Access token lifetime (seconds)", min: 300, max: 2592000, hint: "How long a new access token works. At least 300 (5 minutes)." },
  { name: "refresh_token_lifetime_seconds", label: "Refresh token lifetime (seconds)", min: 300, hint: "How long a sign-in can be kept alive by refreshing." },
  { name: "refresh_token_idle_timeout_seconds", label: "Refresh token idle timeout (seconds)", min: 300, hint: "Unused refresh tokens expire after this long, when idle expiry is on.", dependsOn: "refresh_token_idle_timeout_enabled" },
];
const BOOLEAN_FIELDS = [
  { name: "refresh_token_idle_timeout_enabled", label: "Expire refresh tokens when idle" },
  { name: "refresh_token_rotation_enabled", label: "Rotate refresh tokens on every use" },
];

export async function renderClients(view, { signal }) {
  view.append(h("div", { class: "page-header" },
    h("div", {},
      h("h1", {}, "Applications"),
      h("p", { class: "muted" }, "OAuth clients and their token settings. Changes apply to tokens issued from now on and survive restarts."))));
  const list = h("div", { class: "stack" });
  view.append(list);
  const { items } = await api.clients.list();
  if (signal.aborted) return;
  if (items.length === 0) list.append(h("p", { class: "empty muted" }, "No applications are configured."));
  for (const client of items) list.append(clientCard(client));
}

function clientCard(initial) {
  let saved = initial;
  const headingId = nextId("client");
  const status = h("div", { class: "form-status" });
  const inputs = new Map();

  const numberField = (f) => {
    const id = nextId("num");
    const out = h("span", { class: "duration", "aria-hidden": "true" });
    const input = h("input", {
      id, name: f.name, type: "number", inputmode: "numeric", min: f.min, max: f.max, step: 1, required: true,
      value: String(saved[f.name]), "aria-describedby": `${id}-hint`,
    });
    const update = () => { out.textContent = input.value === "" ? "" : `= ${formatDuration(Number(input.value))}`; };
    input.addEventListener("input", () => { input.removeAttribute("aria-invalid"); update(); });
    update();
    inputs.set(f.name, input);
    return h("div", { class: "field" },
      h("label", { for: id }, f.label),
      h("div", { class: "input-with-note" }, input, out),
      h("p", { class: "hint", id: `${id}-hint` }, f.hint));
  };
  const boolField = (f) => {
    const id = nextId("chk");
    const input = h("input", { id, name: f.name, type: "checkbox", checked: saved[f.name] });
    inputs.set(f.name, input);
    return h("div", { class: "field field-check" }, input, h("label", { for: id }, f.label));
  };

  const fields = [
    h("div", { class: "form-grid" }, NUMBER_FIELDS.map(numberField)),
    h("div", { class: "check-row" }, BOOLEAN_FIELDS.map(boolField)),
  ];

  const syncDependent = () => {
    for (const f of NUMBER_FIELDS) if (f.dependsOn) inputs.get(f.name).disabled = !inputs.get(f.dependsOn).checked;
  };
  inputs.get("refresh_token_idle_timeout_enabled").addEventListener("change", syncDependent);
  syncDependent();

  const save = h("button", { type: "submit", class: "btn btn-primary" }, "Save");
  const reset = h("button", {
    type: "button", class: "btn btn-ghost",
    onClick: () => { fill(saved); status.replaceChildren(); },
  }, "Reset");

  function fill(values) {
    for (const f of NUMBER_FIELDS) {
      const input = inputs.get(f.name);
      input.value = String(values[f.name]);
      input.removeAttribute("aria-invalid");
      input.dispatchEvent(new Event("input"));
    }
    for (const f of BOOLEAN_FIELDS) inputs.get(f.name).checked = values[f.name];
    syncDependent();
  }

  const form = h("form", {
    class: "client-form", novalidate: true, "aria-labelledby": headingId,
    onSubmit: async (event) => {
      event.preventDefault();
      const patch = {};
      for (const f of NUMBER_FIELDS) {
        const input = inputs.get(f.name);
        const raw = input.value.trim();
        const n = Number(raw);
        if (raw === "" || !Number.isInteger(n)) {
          input.setAttribute("aria-invalid", "true");
          status.replaceChildren(notice(`${labelOf(f.name)}: enter a whole number of seconds.`, "error"));
          input.focus();
          return;
        }
        if (n !== saved[f.name]) patch[f.name] = n;
      }
      for (const f of BOOLEAN_FIELDS) {
        const checked = inputs.get(f.name).checked;
        if (checked !== saved[f.name]) patch[f.name] = checked;
      }
      if (Object.keys(patch).length === 0) {
        status.replaceChildren(notice("No changes to save.", "info"));
        return;
      }
      save.disabled = true;
      save.textContent = "Saving…";
      try {
        saved = await api.clients.update(saved.client_id, patch);
        fill(saved);
        status.replaceChildren(notice(`Saved. New tokens for ${saved.name || saved.client_id} use these settings.`, "success"));
      } catch (err) {
        // The API names each failing field with a message in words ("At least 5 minutes").
        const labels = Object.fromEntries([...NUMBER_FIELDS, ...BOOLEAN_FIELDS].map((f) => [f.name, labelOf(f.name)]));
        status.replaceChildren(notice(`Not saved. ${api.errorMessage(err, labels)}`, "error"));
        const input = inputs.get(err?.errors?.[0]?.field);
        if (input) { input.setAttribute("aria-invalid", "true"); input.focus(); }
      } finally {
        save.disabled = false;
        save.textContent = "Save";
      }
    },
  }, fields, status, h("div", { class: "form-actions" }, save, reset));

  return h("section", { class: "card", "aria-labelledby": headingId },
    h("div", { class: "card-header" },
      h("div", {},
        h("h2", { id: headingId }, saved.name || saved.client_id),
        h("p", { class: "muted small" }, h("span", { class: "mono" }, saved.client_id))),
      badge(saved.x_application_type || "client", "info")),
    saved.redirect_uris.length
      ? h("details", { class: "redirects" },
        h("summary", {}, `Redirect URIs (${saved.redirect_uris.length})`),
        h("ul", { class: "plain-list" }, saved.redirect_uris.map((u) => h("li", { class: "mono break" }, u))))
      : null,
    form);
}

function labelOf(name) {
  const f = [...NUMBER_FIELDS, ...BOOLEAN_FIELDS].find((x) => x.name === name);
  return f ? f.label.replace(/ \(seconds\)$/, "") : name;
}
