// A user's biometric sign-in devices on their page (device keys of type biometric, set up from a
// native app): the device model and when it was added, and Remove (a lost or replaced phone), over
// the admin API's GET / DELETE /users/{id}/device-keys. Anonymous keys are not listed here.
import { h, notice, table, time } from "../dom.js";
import * as api from "../api.js";
import { request } from "../api.js";
import { confirmDialog } from "../dialog.js";

const seg = encodeURIComponent;
const deviceKeys = {
  list: (id) => request("GET", `/users/${seg(id)}/device-keys`),
  remove: (id, keyId) => request("DELETE", `/users/${seg(id)}/device-keys/${seg(keyId)}`),
};

export async function renderBiometric(section, user, { signal, say }) {
  const label = user.email || user.id;
  const heading = () => h("h2", { id: "biometric-h", tabindex: "-1" }, "Biometric sign-in");
  let keys;
  try {
    keys = (await deviceKeys.list(user.id)).items.filter((k) => k.type === "biometric");
  } catch (err) {
    if (!signal.aborted) section.replaceChildren(heading(), notice(api.errorMessage(err), "error"));
    return;
  }
  if (signal.aborted) return;

  const name = (k) => k.device_model || "Unknown device";
  function show() {
    section.replaceChildren(heading(), keys.length === 0
      ? h("p", { class: "empty" }, "No device is set up for biometric sign-in.")
      : table({
        caption: `Biometric sign-in devices of ${label}`,
        columns: [
          { label: "Device", render: (k) => name(k) },
          { label: "Added", render: (k) => time(k.created_at) },
          { label: "Last used", render: (k) => time(k.last_used_at) },
          { label: "Actions", render: (k) =>
            h("button", { type: "button", class: "btn btn-danger-outline btn-small", "aria-label": `Remove biometric sign-in on ${name(k)}`, onClick: () => remove(k) }, "Remove") },
        ],
        rows: keys.map((k) => ({ data: k, attrs: { "data-device-key": k.id } })),
      }));
  }

  async function remove(k) {
    const ok = await confirmDialog({
      title: `Remove biometric sign-in on ${name(k)}?`,
      description: `${label} can no longer sign in with biometrics on that device until they set it up again from the app. Sessions already signed in stay. This is recorded in the audit log.`,
      confirmLabel: "Remove",
      tone: "danger",
      onConfirm: () => deviceKeys.remove(user.id, k.id),
    });
    if (!ok || signal.aborted) return;
    keys = keys.filter((x) => x.id !== k.id);
    show();
    say(`Biometric sign-in removed from ${name(k)}.`);
  }

  show();
}
