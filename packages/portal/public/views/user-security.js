// A user's sign-in security on their page: the account lockout (with Clear lockout) and two-step
// verification (with Remove, for a lost phone). Neither action signs the user out.
import { h, badge, notice, time } from "../dom.js";
import * as api from "../api.js";
import { confirmDialog } from "../dialog.js";

export async function renderSecurity(section, user, { signal, say }) {
  const label = user.email || user.id;
  let state;
  try {
    state = await api.users.security(user.id);
  } catch (err) {
    if (!signal.aborted) section.replaceChildren(h("h2", { id: "security-h" }, "Sign-in security"), notice(api.errorMessage(err), "error"));
    return;
  }
  if (signal.aborted) return;
  const show = (s) => {
    state = s;
    const locked = s.locked_until !== null;
    section.replaceChildren(
      h("h2", { id: "security-h", tabindex: "-1" }, "Sign-in security"),
      h("dl", { class: "props" },
        h("div", { class: "prop" }, h("dt", {}, "Lockout"), h("dd", {},
          locked
            ? h("div", {}, badge("Locked", "danger"), " ", h("span", {}, "until "), time(s.locked_until))
            : badge("Not locked", "success"),
          s.failed_attempts ? h("span", { class: "muted small" }, ` ${s.failed_attempts} recent failed attempt${s.failed_attempts === 1 ? "" : "s"}`) : null)),
        h("div", { class: "prop" }, h("dt", {}, "Two-step verification"), h("dd", {},
          s.totp_enabled ? badge("Authenticator app", "info") : h("span", { class: "muted" }, "Off"),
          s.recovery_codes_remaining ? h("span", { class: "muted small" }, ` ${s.recovery_codes_remaining} recovery code${s.recovery_codes_remaining === 1 ? "" : "s"} left`) : null))),
      h("ul", { class: "actions actions-wide" },
        h("li", { class: "action" },
          h("button", { type: "button", class: "btn", disabled: !locked && !s.failed_attempts, onClick: clearLockout }, "Clear lockout"),
          h("span", { class: "muted small" }, "Forget failed sign-ins and lift the lock, so they can sign in now.")),
        h("li", { class: "action" },
          h("button", { type: "button", class: "btn btn-danger-outline", disabled: !s.totp_enabled && !s.recovery_codes_remaining, onClick: removeMfa }, "Remove two-step verification"),
          h("span", { class: "muted small" }, "For a lost phone: removes the authenticator app and recovery codes. Sessions stay signed in."))));
  };

  async function clearLockout() {
    try {
      const s = await api.users.resetLockout(user.id);
      if (signal.aborted) return;
      show(s);
      say(`Lockout cleared. ${label} can sign in again.`);
    } catch (err) { say(api.errorMessage(err), "error"); }
  }

  async function removeMfa() {
    let result = null;
    const ok = await confirmDialog({
      title: `Remove two-step verification of ${label}?`,
      description: "Their authenticator app and recovery codes stop working; they sign in with their password alone until they set up two-step verification again. Their sessions are not signed out. This is recorded in the audit log.",
      confirmLabel: "Remove",
      tone: "danger",
      onConfirm: async () => { result = await api.users.removeMfa(user.id); },
    });
    if (!ok || signal.aborted || !result) return;
    show(result);
    say("Two-step verification removed.");
  }

  show(state);
}
