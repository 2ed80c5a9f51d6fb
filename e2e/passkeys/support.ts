// Shared by the passkey end-to-end tests: a Chromium page with a CDP virtual authenticator (a
// platform authenticator holding discoverable credentials, user verification on), the server
// config that switches passkeys on, and a browser-side encoder for a credential made by hand.
import type { CDPSession, Page } from "playwright-core";

export const PASSKEY_AUTHENTICATION = {
  identities: ["login_id", "passkey"],
  primary_authenticators: ["password", "passkey"],
  // Cheap argon2 parameters, as the test server's defaults (this section replaces them).
  password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 },
};

export interface VirtualAuthenticator {
  cdp: CDPSession;
  id: string;
  credentials(): Promise<{ credentialId: string; signCount: number; userHandle?: string; rpId?: string }[]>;
}

export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    cdp,
    id: authenticatorId,
    async credentials() {
      return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
    },
  };
}

/**
 * Asks the page's origin for an assertion with `challenge` (base64url) for RP `rpId`, and returns it
 * encoded the way /_gatehouse/passkey.js posts it. Used from another origin to forge a wrong-origin one.
 */
export async function assertionFrom(page: Page, challenge: string, rpId: string): Promise<string> {
  // A string, not a function: the test loader's helpers (esbuild's __name) do not exist in the page.
  return page.evaluate(`(async () => {
    const b64u = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
    const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)), (c) => c.charCodeAt(0)).buffer;
    const cred = await navigator.credentials.get({ publicKey: { challenge: bytes(${JSON.stringify(challenge)}), rpId: ${JSON.stringify(rpId)}, userVerification: "required" } });
    const r = cred.response;
    return JSON.stringify({
      id: cred.id, rawId: b64u(cred.rawId), type: cred.type, clientExtensionResults: {},
      response: { clientDataJSON: b64u(r.clientDataJSON), authenticatorData: b64u(r.authenticatorData), signature: b64u(r.signature), userHandle: r.userHandle ? b64u(r.userHandle) : undefined },
    });
  })()`);
}

/** Posts `credential` through the login page's own passkey form (its CSRF token and cookie), as the script would. */
export async function submitPasskeyForm(page: Page, credential: string): Promise<void> {
  await page.evaluate((credential) => {
    const form = document.querySelector<HTMLFormElement>("form[data-passkey=login]")!;
    (form.elements.namedItem("credential") as HTMLInputElement).value = credential;
    form.submit();
  }, credential);
}
