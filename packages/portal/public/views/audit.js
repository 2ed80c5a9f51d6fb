// The audit log, newest first, optionally for one target; cursor pagination.
import { h, appendRows, notice, spinner, time } from "../dom.js";
import * as api from "../api.js";

const ACTIONS = {
  "user.create": "User created",
  "user.update": "User updated",
  "user.disable": "User disabled",
  "user.enable": "User enabled",
  "user.delete": "User deleted",
  "user.set_password": "Password set",
  "session.revoke": "Session revoked",
  "session.revoke_all": "All sessions revoked",
  "client.update": "Application updated",
};

const COLUMNS = [
  { label: "When", render: (e) => time(e.at) },
  {
    label: "Action", render: (e) => h("div", { class: "cell-stack" },
      h("span", { class: "strong" }, ACTIONS[e.action] ?? e.action),
      h("code", { class: "muted small" }, e.action)),
  },
  {
    label: "Target", render: (e) => h("div", { class: "cell-stack" },
      h("span", { class: "muted small" }, e.target_type),
      e.target_type === "user"
        ? h("a", { href: `#/users/${encodeURIComponent(e.target_id)}`, class: "mono break" }, e.target_id)
        : e.target_type === "client"
          ? h("a", { href: "#/clients", class: "mono break" }, e.target_id)
          : h("span", { class: "mono break" }, e.target_id)),
  },
  { label: "Actor", render: (e) => h("span", { class: "mono small break", title: e.actor }, e.actor) },
  { label: "Details", className: "col-details", render: (e) => details(e.details) },
];

function details(d) {
  const entries = Object.entries(d ?? {});
  if (entries.length === 0) return h("span", { class: "muted" }, "—");
  return h("dl", { class: "kv" }, entries.map(([k, v]) =>
    h("div", {}, h("dt", {}, k), h("dd", { class: "break" }, typeof v === "string" ? (v === "" ? "(empty)" : v) : JSON.stringify(v)))));
}

export async function renderAudit(view, { params, signal }) {
  const target = params.get("target") || undefined;
  view.append(h("div", { class: "page-header" },
    h("div", {},
      h("h1", {}, "Audit log"),
      h("p", { class: "muted" }, "Every change made through the admin API, newest first."))));
  if (target) {
    view.append(h("p", { class: "filter-chip" },
      "Showing entries for ", h("span", { class: "mono break" }, target), " · ",
      h("a", { href: "#/audit" }, "Show all")));
  }
  const results = h("div", { class: "results" }, spinner("Loading audit log…"));
  const more = h("div", { class: "load-more" });
  view.append(results, more);

  let cursor = null;
  let tbody = null;
  let refocus = false;
  let count = 0;

  async function load() {
    let page;
    try {
      page = await api.auditLog.list({ cursor: cursor ?? undefined, limit: 50, targetId: target });
    } catch (err) {
      if (signal.aborted) return;
      if (!tbody) results.replaceChildren(notice(api.errorMessage(err), "error"));
      else more.replaceChildren(notice(api.errorMessage(err), "error"), moreButton());
      return;
    }
    if (signal.aborted) return;
    if (!tbody) {
      if (page.items.length === 0) {
        results.replaceChildren(h("p", { class: "empty muted" }, "Nothing has been recorded yet."));
        return;
      }
      tbody = h("tbody");
      results.replaceChildren(h("div", { class: "table-wrap" },
        h("table", { class: "data-table audit-table" },
          h("caption", { class: "visually-hidden" }, "Audit log entries"),
          h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", { scope: "col", class: c.className }, c.label)))),
          tbody)));
    }
    const firstNew = count;
    appendRows(tbody, COLUMNS, page.items.map((e) => ({ data: e })));
    count += page.items.length;
    cursor = page.next_cursor;
    more.replaceChildren(...(cursor ? [moreButton()] : []));
    if (refocus) {
      refocus = false;
      (more.querySelector("button") ?? tbody.rows[firstNew]?.querySelector("a, td"))?.focus?.();
    }
  }

  function moreButton() {
    return h("button", {
      type: "button", class: "btn",
      onClick: (e) => { refocus = true; e.currentTarget.disabled = true; e.currentTarget.textContent = "Loading…"; load(); },
    }, "Load more");
  }

  await load();
}
