// The portal shell: sign-in gate, left navigation, hash router and keyboard shortcuts.
import { h, clear, icon, notice } from "./dom.js";
import * as api from "./api.js";
import { renderSignIn } from "./views/signin.js";
import { renderUsers } from "./views/users.js";
import { renderUser } from "./views/user.js";
import { renderClients } from "./views/clients.js";
import { renderAudit } from "./views/audit.js";
import { renderRoles } from "./views/roles.js";
import { renderKeys } from "./views/keys.js";
import { renderHooks } from "./views/hooks.js";
import { renderHook } from "./views/hook.js";

const root = document.getElementById("app");

const NAV = [
  { id: "users", href: "#/users", label: "Users", icon: "users" },
  { id: "roles", href: "#/roles", label: "Roles & groups", icon: "users" },
  { id: "clients", href: "#/clients", label: "Applications", icon: "apps" },
  { id: "hooks", href: "#/hooks", label: "Webhooks", icon: "hook" },
  { id: "audit", href: "#/audit", label: "Audit log", icon: "audit" },
  { id: "keys", href: "#/keys", label: "Admin keys", icon: "key" },
];

const ROUTES = [
  { pattern: /^\/users\/?$/, nav: "users", title: "Users", view: renderUsers },
  { pattern: /^\/users\/([^/]+)$/, nav: "users", title: "User", view: renderUser },
  { pattern: /^\/roles\/?$/, nav: "roles", title: "Roles and groups", view: renderRoles },
  { pattern: /^\/clients\/?$/, nav: "clients", title: "Applications", view: renderClients },
  { pattern: /^\/hooks\/?$/, nav: "hooks", title: "Webhooks", view: renderHooks },
  { pattern: /^\/hooks\/([^/]+)$/, nav: "hooks", title: "Webhook", view: renderHook },
  { pattern: /^\/audit\/?$/, nav: "audit", title: "Audit log", view: renderAudit },
  { pattern: /^\/keys\/?$/, nav: "keys", title: "Admin keys", view: renderKeys },
];

let shell = null; // { main, view, flash, links }
let pendingFlash = null;
let current = null; // the AbortController of the view on screen

function parseHash() {
  const raw = location.hash.replace(/^#/, "");
  const [path, query = ""] = raw.split("?", 2);
  return { path: path || "/users", params: new URLSearchParams(query) };
}

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

/** A message shown once at the top of the next view (e.g. "User deleted" on the list). */
export function flashNext(text, tone = "success") {
  pendingFlash = { text, tone };
}

function signOut(message) {
  api.clearKey();
  shell = null;
  current?.abort();
  showSignIn(message);
}

function showSignIn(message) {
  document.title = "Sign in · Gatehouse portal";
  clear(root);
  renderSignIn(root, {
    message,
    onSignedIn() {
      buildShell();
      route({ focus: true });
    },
  });
}

function buildShell() {
  const main = h("main", { id: "main", class: "main", tabindex: "-1" });
  const flash = h("div", { class: "flash" });
  const view = h("div", { class: "view" });
  main.append(flash, view);
  const links = new Map();
  const nav = h("nav", { class: "nav", "aria-label": "Main" },
    h("ul", {}, NAV.map((item) => {
      const a = h("a", { href: item.href, class: "nav-link" }, icon(item.icon), h("span", {}, item.label));
      links.set(item.id, a);
      return h("li", {}, a);
    })));
  const skip = h("a", {
    class: "skip-link", href: "#main",
    onClick: (e) => { e.preventDefault(); main.focus(); },
  }, "Skip to content");
  const sidebar = h("header", { class: "sidebar" },
    h("a", { class: "brand", href: "#/users", "aria-label": "Gatehouse portal home" },
      h("img", { src: "/portal/favicon.svg", alt: "", width: 28, height: 28 }),
      h("span", { class: "brand-name" }, "Gatehouse"),
      h("span", { class: "brand-sub" }, "Portal")),
    nav,
    h("button", { type: "button", class: "btn btn-ghost signout", onClick: () => signOut("You have signed out. The key was removed from this tab.") },
      icon("signout"), h("span", {}, "Sign out")));
  clear(root).append(skip, h("div", { class: "shell" }, sidebar, main));
  shell = { main, view, flash, links };
}

async function route({ focus = false } = {}) {
  if (!api.getKey()) { showSignIn(); return; }
  if (!shell) buildShell();
  const { path, params } = parseHash();
  let match = null;
  const found = ROUTES.find((r) => (match = r.pattern.exec(path)));
  if (!found) { navigate("#/users"); return; }

  current?.abort();
  const controller = new AbortController();
  current = controller;

  for (const [id, a] of shell.links) {
    if (id === found.nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  clear(shell.flash);
  if (pendingFlash) {
    shell.flash.append(notice(pendingFlash.text, pendingFlash.tone));
    pendingFlash = null;
  }
  clear(shell.view);
  document.title = `${found.title} · Gatehouse portal`;
  let arg;
  try { arg = match[1] !== undefined ? decodeURIComponent(match[1]) : undefined; } catch { arg = match[1]; }
  try {
    await found.view(shell.view, {
      arg,
      params,
      signal: controller.signal,
      navigate,
      flashNext,
      setTitle: (t) => { if (!controller.signal.aborted) document.title = `${t} · Gatehouse portal`; },
    });
  } catch (err) {
    if (controller.signal.aborted || err?.name === "AbortError") return;
    if (err instanceof api.ApiError && err.status === 401) return; // handled by signOut
    shell.view.append(notice(api.errorMessage(err), "error"));
  }
  if (focus && !controller.signal.aborted) {
    const heading = shell.view.querySelector("h1");
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }
}

api.setUnauthorizedHandler(() => {
  signOut("Your admin API key is no longer accepted (it may have been revoked). Sign in again with a valid key.");
});

window.addEventListener("hashchange", () => route({ focus: true }));

// "/" jumps to the search box of the current view, unless the operator is typing somewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const t = event.target;
  if (t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
  if (document.querySelector("dialog[open]")) return;
  const search = document.querySelector("[data-search]");
  if (!search) return;
  event.preventDefault();
  search.focus();
  search.select();
});

route();
