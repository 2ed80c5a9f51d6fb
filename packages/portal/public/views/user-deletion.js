// A user's scheduled deletion on their page (Authgear's scheduled account deletion): when the user
// (from an app) or an operator scheduled it, the date it happens, and Cancel deletion; otherwise
// Schedule deletion, which disables the user and signs them out now and deletes them after the
// grace period (account_deletion.grace_period_days).
import { h, badge, notice, time } from "../dom.js";
import * as api from "../api.js";
import { request } from "../api.js";
import { confirmDialog, openDialog } from "../dialog.js";

const seg = encodeURIComponent;
const deletion = {
  get: (id) => request("GET", `/users/${seg(id)}/deletion`),
  schedule: (id, reason) => request("POST", `/users/${seg(id)}/deletion`, { body: { reason } }),
  cancel: (id) => request("DELETE", `/users/${seg(id)}/deletion`),
};

/** `onUserChanged` is called with the user as it is after a change (disabled or enabled again). */
export async function renderDeletion(section, user, { signal, say, onUserChanged }) {
  const label = user.email || user.id;
  const heading = () => h("h2", { id: "deletion-h", tabindex: "-1" }, "Scheduled deletion");
  let scheduled;
  try {
    scheduled = await deletion.get(user.id);
  } catch (err) {
    if (signal.aborted) return;
    if (err.status !== 404) { section.replaceChildren(heading(), notice(api.errorMessage(err), "error")); return; }
    scheduled = null;
  }
  if (signal.aborted) return;

  const changed = async (message) => {
    say(message);
    onUserChanged(await api.users.get(user.id));
  };

  function show(d) {
    scheduled = d;
    section.replaceChildren(heading(), d
      ? h("div", {},
        h("p", {}, badge("Deletion scheduled", "danger"), " ", h("span", {}, `Requested by ${d.scheduled_by === "end_user" ? "the user" : "an operator"}; deleted for good on `), time(d.delete_at), "."),
        d.reason ? h("p", { class: "muted small" }, `Reason: ${d.reason}`) : null,
        h("ul", { class: "actions" }, h("li", { class: "action" },
          h("button", { type: "button", class: "btn btn-primary", onClick: cancel }, "Cancel deletion"),
          h("span", { class: "muted small" }, "Keep the account and let the user sign in again. Their old sessions stay signed out."))))
      : h("ul", { class: "actions" }, h("li", { class: "action" },
        h("button", { type: "button", class: "btn btn-danger-outline", onClick: schedule }, "Schedule deletion"),
        h("span", { class: "muted small" }, "Disable the user and sign them out now; delete them after the grace period unless cancelled."))));
  }

  async function schedule() {
    let result = null;
    const ok = await openDialog({
      title: `Schedule the deletion of ${label}?`,
      description: "They are disabled and signed out everywhere now, and deleted for good when the grace period (account_deletion.grace_period_days) ends. You can cancel until then.",
      fields: [{ name: "reason", label: "Reason", type: "textarea", maxlength: 500, hint: "Recorded with the schedule and in the audit log." }],
      confirmLabel: "Schedule deletion",
      tone: "danger",
      onConfirm: async ({ reason }) => { result = await deletion.schedule(user.id, reason.trim()); return result; },
    });
    if (!ok || !result || signal.aborted) return;
    show(result);
    await changed("Deletion scheduled. The user is disabled and signed out.");
  }

  async function cancel() {
    const ok = await confirmDialog({
      title: `Cancel the deletion of ${label}?`,
      description: "The account is kept and enabled again; the user signs in anew (their old sessions stay ended).",
      confirmLabel: "Cancel deletion",
      onConfirm: () => deletion.cancel(user.id),
    });
    if (!ok || signal.aborted) return;
    show(null);
    await changed("Deletion cancelled. The user can sign in again.");
  }

  show(scheduled);
}
