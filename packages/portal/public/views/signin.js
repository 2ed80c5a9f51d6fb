// Sign in with an admin API key. The key is checked against the API before it is kept.
import { h, icon, nextId } from "../dom.js";
import * as api from "../api.js";

export function renderSignIn(root, { message, onSignedIn }) {
  const inputId = nextId("key");
  const hintId = `${inputId}-hint`;
  const input = h("input", {
    id: inputId, name: "admin_key", type: "password", autocomplete: "off", spellcheck: "false",
    autocapitalize: "off", required: true, placeholder: "gha_…", "aria-describedby": hintId,
  });
  const status = h("div", { class: "signin-status" });
  const button = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Sign in");

  const show = (text, tone) => {
    status.replaceChildren(h("div", { class: `notice notice-${tone}`, role: tone === "error" ? "alert" : "status" }, text));
  };
  if (message) show(message, "info");

  const form = h("form", {
    class: "signin-form",
    novalidate: true,
    onSubmit: async (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) {
        show("Paste an admin API key to sign in.", "error");
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return;
      }
      button.disabled = true;
      button.textContent = "Checking key…";
      try {
        await api.verifyKey(key);
        api.setKey(key);
        input.value = "";
        onSignedIn();
      } catch (err) {
        api.clearKey();
        input.setAttribute("aria-invalid", "true");
        show(api.errorMessage(err), "error");
        input.focus();
        input.select();
      } finally {
        button.disabled = false;
        button.textContent = "Sign in";
      }
    },
  },
  h("div", { class: "field" },
    h("label", { for: inputId }, "Admin API key"),
    input,
    h("p", { class: "hint", id: hintId },
      "Create one on the server with ", h("code", { "data-command": "" }, "npx gatehouse admin-keys create --name portal"),
      " (add ", h("code", {}, "--config FILE"), " unless gatehouse.yaml is in that directory, or ", h("code", {}, "--demo"), " for the demo started by npm start). ",
      "It is kept in this tab only and forgotten when the tab closes.")),
  status,
  button);

  root.append(h("main", { id: "main", class: "signin" },
    h("div", { class: "signin-card" },
      h("div", { class: "signin-brand" },
        h("img", { src: "/portal/favicon.svg", alt: "", width: 40, height: 40 }),
        h("span", { class: "brand-name" }, "Gatehouse")),
      h("h1", {}, "Sign in to the portal"),
      h("p", { class: "lead" }, icon("key", "icon icon-inline"), "Operators manage users, sessions and applications here."),
      form)));
  input.focus();
}
