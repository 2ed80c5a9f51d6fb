// The user directory: search by login ID or attribute value (exact or prefix), exact id, role or group, with cursor pagination.
import { h, appendRows, badge, debounce, icon, nextId, notice, spinner, time } from "../dom.js";
import * as api from "../api.js";
import { openDialog } from "../dialog.js";

const PAGE_SIZE = 25;

export function userBadges(u) {
  return [
    u.is_disabled ? badge("Disabled", "danger") : badge("Active", "success"),
    u.is_verified ? badge("Verified", "info") : badge("Unverified", "neutral"),
    u.is_anonymous ? badge("Anonymous", "neutral") : null,
  ];
}

const COLUMNS = [
  {
    label: "User",
    className: "col-user",
    render: (u) => h("div", { class: "cell-stack" },
      h("a", { href: `#/users/${encodeURIComponent(u.id)}`, class: "strong-link" }, u.email || "(no email)"),
      h("span", { class: "mono muted small" }, u.id)),
  },
  { label: "Status", render: (u) => h("div", { class: "badges" }, userBadges(u)) },
  {
    label: "Roles",
    render: (u) => (u.roles.length ? h("div", { class: "badges" }, u.roles.map((r) => badge(r, "role"))) : h("span", { class: "muted" }, "None")),
  },
  { label: "Created", render: (u) => time(u.created_at) },
];

/** "New user": email, password, verified; the API applies the password policy and names what fails. */
async function createUser(navigate, flashNext) {
  const created = await openDialog({
    title: "Create a user",
    description: "They sign in with this email and password. The password policy of sign-up applies.",
    fields: [
      { name: "email", label: "Email", type: "email", autocomplete: "off", maxlength: 254, required: true },
      { name: "password", label: "Password", type: "password", autocomplete: "new-password", maxlength: 256, required: true, hint: "Share it with the user over a safe channel." },
      { name: "verified", label: "The email address is verified", type: "checkbox" },
    ],
    confirmLabel: "Create user",
    onConfirm: ({ email, password, verified }) => {
      if (!email.trim()) throw new Error("Email: Required.");
      if (!password) throw new Error("Password: Required.");
      return api.users.create({ email: email.trim(), password, verified });
    },
  });
  if (!created) return;
  flashNext(`Created ${created.email}.`);
  navigate(`#/users/${encodeURIComponent(created.id)}`);
}

export async function renderUsers(view, { params, signal, navigate, flashNext }) {
  let query = params.get("q") ?? "";
  let cursor = null;
  let seq = 0;
  let inflight = null;

  const searchId = nextId("search");
  const input = h("input", {
    id: searchId, type: "search", name: "q", value: query, placeholder: "Email, attribute, user ID, role:KEY, group:KEY",
    autocomplete: "off", spellcheck: "false", "data-search": "", "aria-describedby": `${searchId}-hint`,
  });
  const summary = h("p", { class: "summary muted", role: "status", "aria-live": "polite" });
  const results = h("div", { class: "results" });
  const more = h("div", { class: "load-more" });

  const run = debounce(() => load(true), 250);
  const setQuery = (value) => {
    query = value.trim();
    history.replaceState(null, "", `#/users${query ? `?q=${encodeURIComponent(query)}` : ""}`);
  };

  view.append(
    h("div", { class: "page-header" },
      h("div", {},
        h("h1", {}, "Users"),
        h("p", { class: "muted" }, "Find a user to see their profile and sessions, disable them, or sign them out.")),
      h("button", { type: "button", class: "btn btn-primary", onClick: () => createUser(navigate, flashNext) }, "New user")),
    h("form", {
      class: "search", role: "search", "aria-label": "Users",
      onSubmit: (e) => { e.preventDefault(); run.cancel(); setQuery(input.value); load(true); },
    },
    h("label", { for: searchId }, "Search users"),
    h("div", { class: "search-box" },
      icon("search", "icon search-icon"),
      input,
      h("kbd", { class: "search-kbd", title: "Press / to search" }, "/")),
    h("p", { class: "hint", id: `${searchId}-hint` }, "Matches the start of an email, login ID or attribute value, or a whole user ID; role:KEY and group:KEY filter. Press / anywhere to jump here.")),
    summary,
    results,
    more,
  );
  input.addEventListener("input", () => { setQuery(input.value); run(); });
  signal.addEventListener("abort", () => { run.cancel(); inflight?.abort(); });

  let tbody = null;
  let count = 0;
  let refocus = false;

  async function load(reset) {
    const mine = ++seq;
    inflight?.abort();
    inflight = new AbortController();
    if (reset) {
      cursor = null;
      results.replaceChildren(spinner("Searching…"));
      more.replaceChildren();
    }
    let page;
    try {
      page = await api.users.list({ ...searchTerms(query), cursor: reset ? undefined : cursor, limit: PAGE_SIZE }, inflight.signal);
    } catch (err) {
      if (err?.name === "AbortError" || mine !== seq || signal.aborted) return;
      if (reset) results.replaceChildren(notice(api.errorMessage(err), "error"));
      else more.replaceChildren(notice(api.errorMessage(err), "error"), loadMoreButton());
      return;
    }
    if (mine !== seq || signal.aborted) return;
    cursor = page.next_cursor;

    if (reset) {
      count = 0;
      if (page.items.length === 0) {
        results.replaceChildren(h("div", { class: "empty" },
          h("p", { class: "empty-title" }, query ? "No users match your search." : "There are no users yet."),
          query ? h("p", { class: "muted" }, "Try the start of the email address or another value, or paste the full user ID.") : null));
        tbody = null;
      } else {
        tbody = h("tbody");
        results.replaceChildren(h("div", { class: "table-wrap" },
          h("table", { class: "data-table" },
            h("caption", { class: "visually-hidden" }, "Users"),
            h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", { scope: "col", class: c.className }, c.label)))),
            tbody)));
      }
    }
    const firstNew = count;
    if (tbody) appendRows(tbody, COLUMNS, page.items.map((u) => ({ data: u })));
    count += page.items.length;

    summary.textContent = count === 0 ? "" : `Showing ${count} user${count === 1 ? "" : "s"}${cursor ? " — more available" : ""}${query ? ` matching “${query}”` : ""}.`;
    const hadFocus = refocus;
    refocus = false;
    more.replaceChildren(...(cursor ? [loadMoreButton()] : []));
    if (hadFocus) {
      // Keep keyboard users in place: the button if it is still there, else the first new row.
      const target = more.querySelector("button") ?? tbody?.rows[firstNew]?.querySelector("a");
      target?.focus();
    }
  }

  function loadMoreButton() {
    return h("button", {
      type: "button", class: "btn",
      onClick: (e) => { refocus = true; e.currentTarget.disabled = true; e.currentTarget.textContent = "Loading…"; load(false); },
    }, "Load more");
  }

  await load(true);
}

/** "ann role:admin group:staff" → { query: "ann", role: "admin", group: "staff" } */
export function searchTerms(text) {
  const out = {};
  const rest = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const m = /^(role|group):(.+)$/.exec(word);
    if (m) out[m[1]] = m[2];
    else rest.push(word);
  }
  if (rest.length) out.query = rest.join(" ");
  return out;
}
