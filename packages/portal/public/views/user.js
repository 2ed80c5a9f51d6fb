// One user: profile, account actions (disable, enable, password, delete) and live sessions.
import { h, badge, icon, notice, relativeTime, spinner, table, time } from "../dom.js";
import * as api from "../api.js";
import { openDialog, confirmDialog } from "../dialog.js";
import { userBadges } from "./users.js";
import { renderUserProfileSections } from "./user-profile.js";
import { renderSecurity } from "./user-security.js";
import { renderDeletion } from "./user-deletion.js";
import { renderBiometric } from "./user-biometric.js";

const SESSION_TYPES = { idp_session: "Browser session", offline_grant: "Refresh token" };

export async function renderUser(view, { arg: id, signal, navigate, flashNext, setTitle }) {
  const status = h("div", { class: "page-status" });
  const say = (text, tone = "success") => status.replaceChildren(notice(text, tone));

  view.append(
    h("a", { href: "#/users", class: "back-link" }, icon("back"), "All users"),
    spinner("Loading user…"));

  let user, sessions;
  try {
    [user, sessions] = await Promise.all([api.users.get(id), api.users.sessions(id).catch((err) => err)]);
  } catch (err) {
    if (signal.aborted) return;
    view.querySelector(".loading")?.remove();
    view.append(h("h1", {}, "User"), notice(api.errorMessage(err), "error"));
    return;
  }
  if (signal.aborted) return;
  view.querySelector(".loading")?.remove();
  setTitle(user.email || user.id);

  const profileSection = h("section", { class: "card", "aria-labelledby": "profile-h" });
  const actionsSection = h("section", { class: "card", "aria-labelledby": "actions-h" });
  const securitySection = h("section", { class: "card card-wide", "aria-labelledby": "security-h" });
  const sessionsSection = h("section", { class: "card card-wide", "aria-labelledby": "sessions-h" });
  const deletionSection = h("section", { class: "card card-wide", "aria-labelledby": "deletion-h" });
  const biometricSection = h("section", { class: "card card-wide", "aria-labelledby": "biometric-h" });
  const header = h("div", { class: "page-header" });

  const profileExtras = h("div", {});
  view.append(header, status, h("div", { class: "grid-2" }, profileSection, actionsSection), profileExtras, securitySection, biometricSection, deletionSection, sessionsSection,
    h("p", { class: "footer-link" },
      h("a", { href: `#/audit?user=${encodeURIComponent(id)}` }, "See this user’s audit log")));

  let current = user;
  renderProfile(current);
  renderSessions(sessions);
  renderUserProfileSections(profileExtras, { id, signal });
  await renderSecurity(securitySection, user, { signal, say });
  await renderBiometric(biometricSection, user, { signal, say });
  await renderDeletion(deletionSection, user, { signal, say, onUserChanged: (u) => { renderProfile(u); reloadSessions(); } });

  function renderProfile(u) {
    current = u;
    header.replaceChildren(h("div", {},
      h("h1", { class: "break" }, u.email || "(no email)"),
      h("div", { class: "badges" }, userBadges(u))));

    profileSection.replaceChildren(
      h("h2", { id: "profile-h" }, "Profile"),
      h("dl", { class: "props" },
        prop("Email", u.email || "—"),
        prop("User ID", h("span", { class: "mono break" }, u.id)),
        prop("Verified", u.is_verified ? "Yes" : "No"),
        prop("Roles", u.roles.length ? h("div", { class: "badges" }, u.roles.map((r) => badge(r, "role"))) : h("span", { class: "muted" }, "None")),
        prop("Status", u.is_disabled
          ? h("div", {}, badge("Disabled", "danger"), " ", h("span", { class: "reason" }, u.disable_reason ? `Reason: ${u.disable_reason}` : "No reason given"))
          : badge("Active", "success")),
        prop("Created", time(u.created_at)),
        prop("Updated", time(u.updated_at))));

    const label = u.email || u.id;
    actionsSection.replaceChildren(
      h("h2", { id: "actions-h" }, "Actions"),
      h("ul", { class: "actions" },
        u.is_disabled
          ? action("Enable", "btn-primary", "Let this user sign in again. Sessions that were not revoked work again.", async () => {
            try {
              const updated = await api.users.enable(u.id);
              if (signal.aborted) return;
              renderProfile(updated);
              say("User enabled. They can sign in again.");
              reloadSessions();
            } catch (err) { say(api.errorMessage(err), "error"); }
          })
          : action("Disable", "btn-warning", "Block sign-in and refuse every token and session from the next request on.", async () => {
            const updated = await openDialog({
              title: `Disable ${label}?`,
              description: "They cannot sign in, and every access token, refresh token and session of theirs is refused from the next request on. Enabling them later lets sessions that were not revoked work again — use Revoke all as well to sign them out for good.",
              fields: [{ name: "reason", label: "Reason", type: "textarea", maxlength: 500, hint: "Recorded in the audit log and shown on this page." }],
              confirmLabel: "Disable user",
              tone: "danger",
              onConfirm: ({ reason }) => api.users.disable(u.id, reason.trim()),
            });
            if (!updated || signal.aborted) return;
            renderProfile(updated);
            say("User disabled. All of their tokens and sessions have stopped working.");
            reloadSessions();
          }),
        action("Set password", "btn", "Replace the password. Existing sessions stay signed in.", async () => {
          const done = await openDialog({
            title: `Set a new password for ${label}`,
            fields: [{ name: "password", label: "New password", type: "password", autocomplete: "new-password", minlength: 8, maxlength: 256, hint: "8 to 256 characters. Share it with the user over a safe channel." }],
            confirmLabel: "Set password",
            onConfirm: ({ password }) => api.users.setPassword(u.id, password),
          });
          if (done && !signal.aborted) say("Password changed.");
        }),
        action("Delete", "btn-danger", "Permanently delete this user and everything they own.", async () => {
          const expected = u.email || u.id;
          const done = await openDialog({
            title: `Delete ${label}?`,
            description: "This permanently deletes the user with their password, sessions and refresh tokens. It cannot be undone.",
            fields: [{ name: "confirm", label: `Type ${expected} to confirm`, autocomplete: "off" }],
            confirmLabel: "Delete user",
            tone: "danger",
            canConfirm: ({ confirm }) => confirm.trim() === expected,
            onConfirm: () => api.users.remove(u.id),
          });
          if (!done || signal.aborted) return;
          flashNext(`Deleted ${expected}.`);
          navigate("#/users");
        })));
  }

  function action(label, tone, description, onClick) {
    return h("li", { class: "action" },
      h("button", { type: "button", class: ["btn", tone], onClick }, label),
      h("span", { class: "muted small" }, description));
  }

  async function reloadSessions() {
    let result;
    try { result = await api.users.sessions(id); } catch (err) { result = err; }
    if (!signal.aborted) renderSessions(result);
  }

  function renderSessions(result) {
    const items = result instanceof Error ? [] : result.items;
    const revokeAll = h("button", {
      type: "button", class: "btn btn-danger-outline", disabled: items.length === 0,
      onClick: async () => {
        const ok = await confirmDialog({
          title: `Revoke all sessions of ${current.email || current.id}?`,
          description: `This signs the user out everywhere: ${items.length} session${items.length === 1 ? "" : "s"} and refresh token${items.length === 1 ? "" : "s"} stop working at once.`,
          confirmLabel: "Revoke all",
          tone: "danger",
          onConfirm: () => api.users.revokeAllSessions(id),
        });
        if (!ok || signal.aborted) return;
        say("All sessions revoked.");
        reloadSessions();
      },
    }, "Revoke all");

    let body;
    const blocked = current.is_disabled && items.length
      ? notice("This user is disabled: these sessions are refused until the user is enabled again.", "info")
      : null;
    if (result instanceof Error) body = notice(api.errorMessage(result), "error");
    else if (items.length === 0) body = h("p", { class: "empty muted" }, "No active sessions.");
    else {
      body = table({
        caption: "Sessions",
        className: "sessions-table",
        rows: items.map((s) => ({ data: s })),
        columns: [
          {
            label: "Type", render: (s) => h("div", { class: "cell-stack" },
              h("span", { class: "nowrap" }, SESSION_TYPES[s.type] ?? s.type),
              h("span", { class: "mono muted small", title: s.id }, shortId(s.id))),
          },
          { label: "Client", render: (s) => (s.client_id ? h("span", { class: "mono nowrap" }, s.client_id) : h("span", { class: "muted" }, "—")) },
          { label: "Created", render: (s) => time(s.created_at) },
          { label: "Last access", render: (s) => h("time", { datetime: s.last_accessed_at, title: s.last_accessed_at }, relativeTime(s.last_accessed_at)) },
          { label: "IP", render: (s) => h("span", { class: "mono" }, s.ip || "—") },
          { label: "User agent", className: "col-ua", render: (s) => h("span", { class: "ua", title: s.user_agent }, s.user_agent || "—") },
          {
            label: "Actions", className: "col-actions", render: (s) => h("button", {
              type: "button", class: "btn btn-small", "aria-label": `Revoke session ${s.id}`,
              onClick: async (e) => {
                const btn = e.currentTarget;
                btn.disabled = true;
                try {
                  await api.users.revokeSession(id, s.id);
                  if (signal.aborted) return;
                  say(`Revoked ${SESSION_TYPES[s.type]?.toLowerCase() ?? "session"} ${shortId(s.id)}.`);
                  await reloadSessions();
                  sessionsSection.querySelector("h2")?.focus();
                } catch (err) {
                  btn.disabled = false;
                  say(api.errorMessage(err), "error");
                }
              },
            }, "Revoke"),
          },
        ],
      });
    }
    sessionsSection.replaceChildren(...[
      h("div", { class: "card-header" },
        h("div", {},
          h("h2", { id: "sessions-h", tabindex: "-1" }, "Sessions"),
          h("p", { class: "muted small" }, "Browser sessions (sign-in cookies) and refresh tokens that are still alive.")),
        revokeAll),
      blocked,
      body,
    ].filter(Boolean));
  }
}

const prop = (term, value) => h("div", { class: "prop" }, h("dt", {}, term), h("dd", {}, value));
const shortId = (sid) => (sid.length > 14 ? `${sid.slice(0, 12)}…` : sid);
