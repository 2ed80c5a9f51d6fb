// Roles and groups: create, rename, describe, delete; the roles each group carries. Changes reach
// every holder's next token, userinfo and resolver answer.
import { h, badge, notice, spinner, table } from "../dom.js";
import * as api from "../api.js";
import { roles, groups, keyList } from "../profile-api.js";
import { openDialog, confirmDialog } from "../dialog.js";

const KEY_HINT = "1–40 characters: a letter or _ first, then letters, digits, : or _ (Authgear's rule). Tokens carry the key.";

export async function renderRoles(view, { signal }) {
  const status = h("div", { class: "page-status" });
  const say = (text, tone = "success") => status.replaceChildren(notice(text, tone));
  const rolesCard = h("section", { class: "card card-wide", "aria-labelledby": "roles-h" });
  const groupsCard = h("section", { class: "card card-wide", "aria-labelledby": "groups-h" });
  view.append(h("div", { class: "page-header" }, h("h1", {}, "Roles and groups")), status, rolesCard, groupsCard);

  const fields = (withKey) => [
    ...(withKey ? [{ name: "key", label: "Key", maxlength: 40, required: true, hint: KEY_HINT }] : []),
    { name: "name", label: "Name", maxlength: 200 },
    { name: "description", label: "Description", type: "textarea", maxlength: 1000 },
  ];
  const body = (v) => ({ ...(v.key !== undefined ? { key: v.key.trim() } : {}), name: v.name.trim() || null, description: v.description.trim() || null });

  async function load() {
    rolesCard.replaceChildren(spinner("Loading roles…"));
    groupsCard.replaceChildren();
    let r, g;
    try {
      [r, g] = await Promise.all([roles.list(), groups.list()]);
      g.items = await Promise.all(g.items.map((item) => groups.get(item.key)));
    } catch (err) {
      if (!signal.aborted) rolesCard.replaceChildren(notice(api.errorMessage(err), "error"));
      return;
    }
    if (signal.aborted) return;
    rolesCard.replaceChildren(
      h("div", { class: "card-header" }, h("h2", { id: "roles-h" }, "Roles"),
        h("button", { type: "button", class: "btn btn-primary", onClick: () => create("role", roles) }, "New role")),
      r.items.length ? table({
        caption: "Roles",
        columns: [
          { label: "Key", render: (x) => h("span", { class: "mono" }, x.key) },
          { label: "Name", render: (x) => x.name ?? "—" },
          { label: "Description", render: (x) => x.description ?? "—" },
          { label: "Actions", render: (x) => h("div", { class: "row-actions" }, edit("role", roles, x), remove("role", roles, x)) },
        ],
        rows: r.items.map((x) => ({ data: x })),
      }) : h("p", { class: "muted" }, "No roles yet."));
    groupsCard.replaceChildren(
      h("div", { class: "card-header" }, h("h2", { id: "groups-h" }, "Groups"),
        h("button", { type: "button", class: "btn btn-primary", onClick: () => create("group", groups) }, "New group")),
      g.items.length ? table({
        caption: "Groups",
        columns: [
          { label: "Key", render: (x) => h("span", { class: "mono" }, x.key) },
          { label: "Name", render: (x) => x.name ?? "—" },
          { label: "Roles", render: (x) => h("div", { class: "badges" }, x.roles.map((role) => h("span", { class: "chip" }, badge(role, "role"),
            h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Remove role ${role} from group ${x.key}`, onClick: () => act(() => groups.removeRole(x.key, role), `Role ${role} removed from ${x.key}.`) }, "×"))),
          h("button", { type: "button", class: "btn btn-small", onClick: () => addRoles(x) }, "Add roles")) },
          { label: "Actions", render: (x) => h("div", { class: "row-actions" }, edit("group", groups, x), remove("group", groups, x)) },
        ],
        rows: g.items.map((x) => ({ data: x })),
      }) : h("p", { class: "muted" }, "No groups yet."));
  }

  async function act(fn, message) {
    try {
      await fn();
      say(message);
      await load();
    } catch (err) { say(api.errorMessage(err), "error"); }
  }

  async function create(what, store) {
    const made = await openDialog({ title: `New ${what}`, confirmLabel: `Create ${what}`, fields: fields(true), onConfirm: (v) => store.create(body(v)) });
    if (made) { say(`${what === "role" ? "Role" : "Group"} ${made.key} created.`); await load(); }
  }
  function edit(what, store, item) {
    return h("button", { type: "button", class: "btn btn-small", onClick: async () => {
      const updated = await openDialog({
        title: `Edit ${what} ${item.key}`, confirmLabel: "Save",
        fields: [{ name: "key", label: "Key", maxlength: 40, hint: `${KEY_HINT} Leave as is to keep it.` }, ...fields(false)],
        onConfirm: (v) => store.update(item.key, { ...(v.key.trim() && v.key.trim() !== item.key ? { key: v.key.trim() } : {}), name: v.name.trim() || null, description: v.description.trim() || null }),
      });
      if (updated) { say(`Saved ${updated.key}.`); await load(); }
    } }, "Edit");
  }
  function remove(what, store, item) {
    return h("button", { type: "button", class: "btn btn-small btn-danger", onClick: async () => {
      const done = await confirmDialog({
        title: `Delete ${what} ${item.key}?`, tone: "danger", confirmLabel: `Delete ${what}`,
        description: `Everyone who holds it ${what === "group" ? "through this group " : ""}loses it from their next token.`,
        onConfirm: () => store.remove(item.key),
      });
      if (done) { say(`${item.key} deleted.`); await load(); }
    } }, "Delete");
  }
  async function addRoles(group) {
    const updated = await openDialog({
      title: `Add roles to ${group.key}`, confirmLabel: "Add roles",
      fields: [{ name: "roles", label: "Role keys", required: true, hint: "Separated by spaces or commas. Every member gets them." }],
      onConfirm: (v) => groups.addRoles(group.key, keyList(v.roles)),
    });
    if (updated) { say(`Roles added to ${group.key}.`); await load(); }
  }

  await load();
}
