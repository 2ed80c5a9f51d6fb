// DOM helpers. Everything user- or server-supplied goes in as text nodes or attribute values,
// never as HTML: there is no innerHTML anywhere in the portal.

/**
 * h("a", { href: "#/users", class: "link", onClick: fn }, "text", child, [more])
 * Strings become text nodes; null, undefined and false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "class") {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : String(value);
    } else if (name === "dataset") {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (name === "value" || name === "checked" || name === "disabled" || name === "hidden") {
      el[name] = value;
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

let uid = 0;
/** A unique id for label/input pairs. */
export const nextId = (prefix = "f") => `${prefix}-${++uid}`;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatDate(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dateFormat.format(d);
}

/** A <time> element with an absolute date, and the exact ISO value in its title. */
export function time(iso) {
  return h("time", { datetime: iso, title: iso }, formatDate(iso));
}

export function relativeTime(iso, now = Date.now()) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const s = Math.round((t - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(s, "second");
  if (abs < 3600) return rtf.format(Math.round(s / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(s / 3600), "hour");
  return rtf.format(Math.round(s / 86400), "day");
}

/** 3600 → "1 hour", 5400 → "1 h 30 min". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  const units = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
  const parts = [];
  let rest = Math.floor(seconds);
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.length ? parts.join(" ") : "0 seconds";
}

export function badge(text, tone = "neutral") {
  return h("span", { class: `badge badge-${tone}` }, text);
}

/** A live region message: tone "error" is announced assertively. */
export function notice(text, tone = "info") {
  return h("div", { class: `notice notice-${tone}`, role: tone === "error" ? "alert" : "status" }, text);
}

export function spinner(label = "Loading…") {
  return h("p", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), label);
}

/**
 * A table that turns into stacked cards on narrow screens: every cell carries its column
 * heading in data-label, which the narrow-screen CSS shows in front of the value.
 */
export function table({ caption, columns, rows, className = "" }) {
  const thead = h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.className }, c.label))));
  const tbody = h("tbody");
  appendRows(tbody, columns, rows);
  return h("div", { class: "table-wrap" },
    h("table", { class: ["data-table", className] }, caption ? h("caption", { class: "visually-hidden" }, caption) : null, thead, tbody));
}

export function appendRows(tbody, columns, rows) {
  for (const row of rows) {
    const tr = h("tr", row.attrs ?? {});
    for (const c of columns) {
      const value = c.render(row.data);
      tr.append(h("td", { "data-label": c.label, class: c.className }, value ?? "—"));
    }
    tbody.append(tr);
  }
}

/** Calls fn at most once per `ms` of quiet. */
export function debounce(fn, ms) {
  let timer;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

const ICONS = {
  users: "M16 11a4 4 0 1 0-8 0 4 4 0 0 0 8 0ZM4 21a8 8 0 0 1 16 0",
  apps: "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
  audit: "M8 4h11v16H5V7zM8 4v3H5M9 11h6M9 15h6",
  signout: "M10 4H5v16h5M15 8l4 4-4 4M19 12H9",
  back: "M15 18l-6-6 6-6",
  search: "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14ZM20 20l-4-4",
  hook: "M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8",
  key: "M14.5 4a5.5 5.5 0 1 1-4.9 8l-5.6 5.6V20h3v-2h2v-2h2l1-1A5.5 5.5 0 0 1 14.5 4Zm1.5 3.5h.01",
};

/** A decorative line icon (hidden from assistive technology). */
export function icon(name, className = "icon") {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name] ?? "");
  svg.append(path);
  return svg;
}
