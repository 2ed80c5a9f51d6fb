// The passkey pages' script, served as a static file (/_gatehouse/passkey.js, CSP script-src
// 'self', no inline code). It turns the JSON options in a form's data attribute into
// navigator.credentials calls and posts the result as that form's `credential` field:
// - login: autofill (conditional mediation) on the login-ID field, and the modal button;
// - signup: copies the typed login IDs in, names the passkey after the first one, creates it;
// - register (settings): creates a passkey for the signed-in user.
// Without WebAuthn it does nothing and the buttons stay hidden.
export const PASSKEY_JS = `"use strict";
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  function buffer(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    var bin = atob(s + "===".slice((s.length + 3) % 4)), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function b64u(buf) {
    var a = new Uint8Array(buf), s = "";
    for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
    return btoa(s).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  }
  function descriptors(list) {
    return (list || []).map(function (c) { return { type: c.type, id: buffer(c.id), transports: c.transports }; });
  }
  function requestOptions(o) {
    return { challenge: buffer(o.challenge), timeout: o.timeout, rpId: o.rpId, userVerification: o.userVerification, allowCredentials: descriptors(o.allowCredentials) };
  }
  function creationOptions(o, name) {
    return {
      challenge: buffer(o.challenge), rp: o.rp, timeout: o.timeout, attestation: o.attestation, pubKeyCredParams: o.pubKeyCredParams,
      authenticatorSelection: o.authenticatorSelection, excludeCredentials: descriptors(o.excludeCredentials),
      user: { id: buffer(o.user.id), name: name || o.user.name, displayName: name || o.user.displayName },
    };
  }
  function encode(cred) {
    var r = cred.response, response = { clientDataJSON: b64u(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = b64u(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    }
    if (r.authenticatorData) {
      response.authenticatorData = b64u(r.authenticatorData);
      response.signature = b64u(r.signature);
      if (r.userHandle) response.userHandle = b64u(r.userHandle);
    }
    return JSON.stringify({
      id: cred.id, rawId: b64u(cred.rawId), type: cred.type, response: response,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
    });
  }
  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    var kind = form.getAttribute("data-passkey"), options = JSON.parse(form.getAttribute("data-passkey-options"));
    var button = form.querySelector("[data-passkey-start]"), status = form.querySelector("[data-passkey-status]");
    var busy = false;
    function done(cred) {
      form.elements.namedItem("credential").value = encode(cred);
      form.submit();
    }
    function failed(err) {
      busy = false;
      if (err && err.name === "AbortError") return;
      if (status) status.textContent = form.getAttribute("data-passkey-failed");
    }
    button.hidden = false;
    if (kind === "login") {
      var input = document.getElementById(form.getAttribute("data-passkey-field"));
      var conditional = null, wantModal = false;
      var modal = function () {
        busy = true;
        navigator.credentials.get({ publicKey: requestOptions(options) }).then(done, failed);
      };
      if (input && PublicKeyCredential.isConditionalMediationAvailable) {
        PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
          if (!available || busy) return;
          // Autofill offers passkeys only on a field marked "webauthn" (WebAuthn L3 §5.1.4.1).
          var tokens = (input.getAttribute("autocomplete") || "username").split(/\\s+/);
          if (tokens.indexOf("webauthn") < 0) input.setAttribute("autocomplete", tokens.concat("webauthn").join(" "));
          conditional = new AbortController();
          navigator.credentials.get({ mediation: "conditional", publicKey: requestOptions(options), signal: conditional.signal }).then(done, function (err) {
            conditional = null;
            if (wantModal) { wantModal = false; modal(); } else failed(err);
          });
        });
      }
      button.addEventListener("click", function () {
        if (status) status.textContent = "";
        // One WebAuthn request at a time: the autofill one is cancelled, then the modal one starts.
        if (conditional) { wantModal = true; conditional.abort(); } else if (!busy) modal();
      });
      return;
    }
    button.addEventListener("click", function () {
      if (busy) return;
      if (status) status.textContent = "";
      var name = "";
      (form.getAttribute("data-passkey-copy") || "").split(" ").filter(Boolean).forEach(function (key) {
        var from = document.getElementById(key), to = form.elements.namedItem(key);
        if (from && to) { to.value = from.value.trim(); name = name || to.value; }
      });
      if (kind === "signup" && !name) { if (status) status.textContent = form.getAttribute("data-passkey-need-id"); return; }
      busy = true;
      navigator.credentials.create({ publicKey: creationOptions(options, name) }).then(done, failed);
    });
  });
})();
`;
