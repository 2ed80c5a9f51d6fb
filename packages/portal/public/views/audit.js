// The audit log, newest first: what operators did and what happened to users (sign-ins, failures,
// lockouts, resets, two-step changes, revoked sessions, token reuse), named by email and key name.
// Filter by user and by event type; "Load more" follows the API's keyset cursor.
import { h, appendRows, nextId, notice, spinner, time } from "../dom.js";
import * as api from "../api.js";

const GROUPS = [
  ["Sign-in", {
    "user.authenticated": "Signed in",
    "authentication.failed.primary.password": "Wrong password",
    "authentication.failed.secondary.totp": "Wrong authenticator code",
    "authentication.failed.secondary.recovery_code": "Wrong recovery code",
    "authentication.failed.identity.login_id": "Sign-in with an unknown email",
    "authentication.blocked": "Account locked",
  }],
  ["Account", {
    "user.forgot_password.password_changed": "Password reset",
    "authenticator.totp.added": "Two-step verification added",
    "authenticator.totp.removed": "Two-step verification removed",
    "user.signed_out": "Signed out",
    "user.session.terminated": "Session signed out by the user",
    "token.reuse_detected": "Token reuse detected",
  }],
  ["Operators", {
    "user.create": "User created",
    "user.update": "User updated",
    "user.disable": "User disabled",
    "user.enable": "User enabled",
    "user.delete": "User deleted",
    "user.set_password": "Password set",
    "user.reset_lockout": "Lockout cleared",
    "session.revoke": "Session revoked",
    "session.revoke_all": "All sessions revoked",
    "client.update": "Application updated",
    "admin_key.create": "Admin key created",
    "admin_key.revoke": "Admin key revoked",
    "signing_key.rotate": "Signing key rotated",
    "hook.replay": "Webhook delivery replayed",
    "hook.test": "Webhook test event sent",
  }],
];
const ACTIONS = Object.assign({}, ...GROUPS.map(([, actions]) => actions));

const COLUMNS = [
  { label: "When", render: (e) => time(e.at) },
  {
    label: "Event", render: (e) => h("div", { class: "cell-stack" },
      h("span", { class: "strong" }, ACTIONS[e.action] ?? e.action),
      h("code", { class: "muted small" }, e.action)),
  },
  {
    label: "About", render: (e) => h("div", { class: "cell-stack" },
      e.target_type === "user"
        ? h("a", { href: `#/users/${encodeURIComponent(e.target_id)}`, class: "break", title: e.target_id }, e.target_name)
        : e.target_type === "client"
          ? h("a", { href: "#/clients", class: "mono break" }, e.target_name)
          : h("span", { class: "break", title: e.target_id }, e.target_name),
      h("span", { class: "muted small" }, TARGET_TYPES[e.target_type] ?? e.target_type)),
  },
  { label: "By", render: (e) => h("span", { class: "small break", title: e.actor }, e.actor_name) },
  { label: "Details", className: "col-details", render: (e) => details(e.details) },
];
const TARGET_TYPES = { user: "user", login_id: "unknown email", client: "application", admin_key: "admin key", signing_key: "signing key", hook_delivery: "webhook delivery", hook: "webhook" };

function details(d) {
  const entries = Object.entries(d ?? {}).filter(([k]) => k !== "email");
  if (entries.length === 0) return h("span", { class: "muted" }, "—");
  return h("dl", { class: "kv" }, entries.map(([k, v]) =>
    h("div", {}, h("dt", {}, k), h("dd", { class: "break" }, typeof v === "string" ? (v === "" ? "(empty)" : v) : JSON.stringify(v)))));
}

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id of the user an operator typed (an id, or an exact email), or null. */
async function findUserId(text) {
  if (USER_ID.test(text)) return text;
  const { items } = await api.users.list({ query: text, limit: 25 });
  return items.find((u) => (u.email ?? "").toLowerCase() === text.toLowerCase())?.id ?? null;
}

export async function renderAudit(view, { params, signal, navigate }) {
  const userId = params.get("user") || params.get("target") || undefined;
  const action = params.get("action") || undefined;
  view.append(h("div", { class: "page-header" },
    h("div", {},
      h("h1", {}, "Audit log"),
      h("p", { class: "muted" }, "What operators changed and what happened to users, newest first."))));

  const userField = nextId("audit-user");
  const actionField = nextId("audit-action");
  const userInput = h("input", { id: userField, name: "user", type: "search", placeholder: "Email or user ID", autocomplete: "off", spellcheck: "false", "data-search": "" });
  const select = h("select", { id: actionField, name: "action" },
    h("option", { value: "" }, "All events"),
    GROUPS.map(([group, actions]) => h("optgroup", { label: group },
      Object.entries(actions).map(([value, label]) => h("option", { value, selected: value === action }, label)))));
  const formStatus = h("div", { class: "form-status" });
  view.append(h("form", {
    class: "filters", role: "search", "aria-label": "Filter the audit log",
    onSubmit: async (event) => {
      event.preventDefault();
      const text = userInput.value.trim();
      let id = "";
      if (text) {
        try { id = await findUserId(text); } catch (err) { formStatus.replaceChildren(notice(api.errorMessage(err), "error")); return; }
        if (!id) {
          userInput.setAttribute("aria-invalid", "true");
          formStatus.replaceChildren(notice(`No user has the email or ID “${text}”.`, "error"));
          userInput.focus();
          return;
        }
      }
      const q = new URLSearchParams();
      if (id) q.set("user", id);
      if (select.value) q.set("action", select.value);
      navigate(`#/audit${q.size ? `?${q}` : ""}`);
    },
  },
  h("div", { class: "field" }, h("label", { for: userField }, "User"), userInput),
  h("div", { class: "field" }, h("label", { for: actionField }, "Event"), select),
  h("div", { class: "field field-submit" }, h("button", { type: "submit", class: "btn" }, "Filter"),
    userId || action ? h("a", { href: "#/audit", class: "btn btn-ghost" }, "Show all") : null),
  formStatus));

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
      page = await api.auditLog.list({ cursor: cursor ?? undefined, limit: 50, userId, action });
    } catch (err) {
      if (signal.aborted) return;
      if (!tbody) results.replaceChildren(notice(api.errorMessage(err), "error"));
      else more.replaceChildren(notice(api.errorMessage(err), "error"), moreButton());
      return;
    }
    if (signal.aborted) return;
    if (!tbody) {
      if (userId && page.items[0]?.target_type === "user") userInput.value = page.items[0].target_name;
      else if (userId) userInput.value = userId;
      if (page.items.length === 0) {
        results.replaceChildren(h("p", { class: "empty muted" }, userId || action ? "No entries match." : "Nothing has been recorded yet."));
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
