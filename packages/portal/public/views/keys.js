// Admin API keys: name, created, last used; revoke. A revoked key fails its next request —
// revoking the key this tab signed in with signs this tab out.
import { h, badge, notice, relativeTime, spinner, table, time } from "../dom.js";
import * as api from "../api.js";
import { confirmDialog } from "../dialog.js";

export async function renderKeys(view, { signal }) {
  const status = h("div", { class: "page-status" });
  const body = h("div", { class: "results" }, spinner("Loading keys…"));
  view.append(h("div", { class: "page-header" },
    h("div", {},
      h("h1", {}, "Admin keys"),
      h("p", { class: "muted" }, "Keys that can use the admin API and this portal. Create one on the server with ",
        h("code", {}, "npx gatehouse admin-keys create --name NAME"), "."))),
  status, body);

  async function load() {
    const { items } = await api.adminKeys.list();
    if (signal.aborted) return;
    if (items.length === 0) {
      body.replaceChildren(h("p", { class: "empty muted" }, "No admin keys."));
      return;
    }
    body.replaceChildren(table({
      caption: "Admin keys",
      className: "keys-table",
      rows: items.map((k) => ({ data: k })),
      columns: [
        { label: "Name", render: (k) => h("div", { class: "cell-stack" }, h("span", { class: "strong" }, k.name), h("span", { class: "mono muted small" }, k.id)) },
        { label: "Created", render: (k) => time(k.created_at) },
        {
          label: "Last used", render: (k) => (k.last_used_at
            ? h("time", { datetime: k.last_used_at, title: k.last_used_at }, relativeTime(k.last_used_at))
            : h("span", { class: "muted" }, "Never")),
        },
        { label: "Status", render: (k) => (k.revoked_at ? h("div", { class: "cell-stack" }, badge("Revoked", "danger"), time(k.revoked_at)) : badge("Active", "success")) },
        {
          label: "Actions", className: "col-actions", render: (k) => (k.revoked_at ? h("span", { class: "muted" }, "—") : h("button", {
            type: "button", class: "btn btn-small btn-danger-outline", "aria-label": `Revoke key ${k.name}`,
            onClick: async () => {
              const ok = await confirmDialog({
                title: `Revoke the key “${k.name}”?`,
                description: "Whatever uses this key is refused from its next request on. This cannot be undone: create a new key instead.",
                confirmLabel: "Revoke key",
                tone: "danger",
                onConfirm: () => api.adminKeys.revoke(k.id),
              });
              if (!ok || signal.aborted) return;
              status.replaceChildren(notice(`Revoked the key “${k.name}”.`, "success"));
              await load().catch((err) => status.replaceChildren(notice(api.errorMessage(err), "error")));
            },
          }, "Revoke")),
        },
      ],
    }));
  }
  await load();
}
