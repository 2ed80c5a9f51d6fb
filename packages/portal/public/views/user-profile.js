// A user's roles, groups and attributes, inside the user view.
import { h, badge, notice } from "../dom.js";
import * as api from "../api.js";
import { userProfile, keyList } from "../profile-api.js";
import { openDialog } from "../dialog.js";

const show = (v) => (v !== null && typeof v === "object" ? Object.entries(v).map(([k, x]) => `${k}: ${x}`).join(", ") : String(v));

export function renderUserProfileSections(view, { id, signal }) {
  const rolesCard = h("section", { class: "card", "aria-labelledby": "roles-h" });
  const attrsCard = h("section", { class: "card", "aria-labelledby": "attrs-h" });
  const status = h("div", { class: "page-status" });
  const say = (text, tone = "success") => status.replaceChildren(notice(text, tone));
  view.append(status, h("div", { class: "grid-2" }, rolesCard, attrsCard));

  async function act(fn, message) {
    try { await fn(); say(message); await load(); } catch (err) { say(api.errorMessage(err), "error"); }
  }
  const chip = (key, tone, onRemove, label) => h("span", { class: "chip" }, badge(key, tone),
    onRemove ? h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": label, onClick: onRemove }, "×") : null);

  async function load() {
    let held, attrs;
    try {
      [held, attrs] = await Promise.all([userProfile.roles(id), userProfile.attributes(id)]);
    } catch (err) {
      if (!signal.aborted) rolesCard.replaceChildren(notice(api.errorMessage(err), "error"));
      return;
    }
    if (signal.aborted) return;
    rolesCard.replaceChildren(
      h("h2", { id: "roles-h" }, "Roles and groups"),
      h("dl", { class: "props" },
        h("dt", {}, "Direct roles"), h("dd", { class: "badges" }, held.roles.length ? held.roles.map((r) => chip(r, "role", () => act(() => userProfile.removeRole(id, r), `Role ${r} removed.`), `Remove role ${r}`)) : "None"),
        h("dt", {}, "Groups"), h("dd", { class: "badges" }, held.groups.length ? held.groups.map((g) => chip(g, "neutral", () => act(() => userProfile.removeGroup(id, g), `Removed from ${g}.`), `Remove from group ${g}`)) : "None"),
        h("dt", {}, "Effective roles"), h("dd", { class: "badges" }, held.effective_roles.length ? held.effective_roles.map((r) => badge(r, "role")) : "None")),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "btn", onClick: () => add("roles") }, "Add roles"),
        h("button", { type: "button", class: "btn", onClick: () => add("groups") }, "Add to groups")));
    const rows = [...Object.entries(attrs.standard_attributes), ...Object.entries(attrs.custom_attributes).map(([k, v]) => [`${k} (custom)`, v])];
    attrsCard.replaceChildren(
      h("h2", { id: "attrs-h" }, "Attributes"),
      rows.length ? h("dl", { class: "props" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { class: "break" }, show(v))])) : h("p", { class: "muted" }, "No attributes set."),
      h("div", { class: "form-actions" }, h("button", { type: "button", class: "btn", onClick: editAttributes }, "Edit attributes")));
  }

  async function add(kind) {
    const done = await openDialog({
      title: kind === "roles" ? "Add roles" : "Add to groups", confirmLabel: "Add",
      fields: [{ name: "keys", label: kind === "roles" ? "Role keys" : "Group keys", required: true, hint: "Separated by spaces or commas." }],
      onConfirm: (v) => (kind === "roles" ? userProfile.addRoles(id, keyList(v.keys)) : userProfile.addGroups(id, keyList(v.keys))),
    });
    if (done) { say(kind === "roles" ? "Roles added." : "Added to groups."); await load(); }
  }

  async function editAttributes() {
    const done = await openDialog({
      title: "Edit attributes", confirmLabel: "Save",
      description: "Checked against user_profile in the config; nothing is saved unless every value passes.",
      fields: [
        { name: "standard", label: "Standard attributes (JSON)", type: "textarea", maxlength: 8000, hint: 'e.g. {"given_name": "Ann", "birthdate": "1990-05-01", "nickname": null} — null removes one.' },
        { name: "custom", label: "Custom attributes (JSON, by pointer name)", type: "textarea", maxlength: 8000, hint: 'e.g. {"tier": "gold"}' },
      ],
      onConfirm: (v) => {
        const parse = (text, what) => {
          if (!text.trim()) return undefined;
          try { return JSON.parse(text); } catch { throw new Error(`${what}: not valid JSON`); }
        };
        return userProfile.updateAttributes(id, { standard_attributes: parse(v.standard, "Standard attributes"), custom_attributes: parse(v.custom, "Custom attributes") });
      },
    });
    if (done) { say("Attributes saved."); await load(); }
  }

  return load();
}
