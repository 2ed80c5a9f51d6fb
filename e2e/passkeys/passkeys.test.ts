// Passkeys in headless Chromium with a CDP virtual authenticator (issue #14), against the real
// server over HTTP: add a passkey in settings, sign in with the button (the TOTP step the password
// would need is skipped, as Authgear does for a passkey), sign in through autofill, a replayed
// assertion and one made on another origin refused, remove the passkey, sign up with a passkey.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";
import { seriousViolations } from "../support/axe.ts";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { addVirtualAuthenticator, assertionFrom, submitPasskeyForm, PASSKEY_AUTHENTICATION, type VirtualAuthenticator } from "./support.ts";

const EMAIL = "passkey-user@example.com";
const PASSWORD = "a long enough password";

describe("passkeys in Chromium with a virtual authenticator", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: TestServer;
  let other: Server;
  let otherOrigin: string;
  let browser: Browser;
  let page: Page;
  let authenticator: VirtualAuthenticator;
  let userId: string;
  /** The last credential the passkey script posted to /login/passkey. */
  let postedAssertion = "";
  const problems: string[] = [];
  const url = (path: string): string => `${server.url}${path}`;

  before(async () => {
    // WebAuthn takes no IP address as RP ID: the server's public host is "localhost".
    server = await startTestServer({ host: "localhost", config: { authentication: PASSKEY_AUTHENTICATION } });
    userId = await server.createUser(EMAIL, PASSWORD);
    // Another origin under the same RP ID (localhost, another port): where a phishing page would sit.
    other = createServer((_req, res) => { res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>elsewhere</title>"); });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    otherOrigin = `http://localhost:${(other.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("status of 4")) problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url() === url("/login/passkey")) postedAssertion = new URLSearchParams(r.postData() ?? "").get("credential") ?? "";
    });
    authenticator = await addVirtualAuthenticator(page);
    // The virtual authenticator answers an autofill (conditional) request at once, as if the user
    // picked the passkey: outside the autofill test the page is told conditional UI is unavailable
    // (the feature test the script makes), so the button and forged posts are what gets tested.
    await page.addInitScript(() => {
      if (!window.PublicKeyCredential) return;
      if (localStorage.getItem("test-autofill") !== "on") {
        PublicKeyCredential.isConditionalMediationAvailable = async () => false;
        return;
      }
      // Autofill test: note how the page asked (mediation, the field's autocomplete) before the answer.
      const get = navigator.credentials.get.bind(navigator.credentials);
      navigator.credentials.get = (o?: CredentialRequestOptions) => {
        sessionStorage.setItem("test-get", JSON.stringify({ mediation: o?.mediation ?? null, autocomplete: document.getElementById("email")?.getAttribute("autocomplete") ?? null }));
        return get(o);
      };
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    other?.closeAllConnections();
    await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  });

  /** The resolver's view of this browser's session cookie. */
  async function sessionAmr(): Promise<string | null> {
    const r = await page.request.get(url("/_resolver/resolve"));
    return r.headers()["x-authgear-session-valid"] === "true" ? (r.headers()["x-authgear-session-amr"] ?? "") : null;
  }

  async function signOut(): Promise<void> {
    await page.goto(url("/settings"));
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByText("You have been signed out").waitFor();
    assert.equal(await sessionAmr(), null);
  }

  it("adds a passkey on the settings page", async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    await page.goto(url("/settings"));
    assert.deepEqual(await seriousViolations(page), [], "settings with passkeys: serious or critical axe violations");
    await page.getByText("You have no passkeys yet.").waitFor();
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Your passkey was added.").waitFor();
    const section = page.locator("section[aria-labelledby=passkeys-heading]");
    assert.match(await section.innerText(), new RegExp(`${EMAIL}\\s+Added`));
    await section.getByRole("button", { name: new RegExp(`^Remove passkey ${EMAIL}, added `) }).waitFor();

    const stored = await server.ctx.storage.passkeys.listByUser(userId);
    assert.equal(stored.length, 1);
    const [held] = await authenticator.credentials();
    assert.equal(stored[0].credentialId, held.credentialId.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""), "the server keeps the authenticator's credential");
    assert.equal(held.rpId, "localhost");
    assert.equal(Buffer.from(held.userHandle ?? "", "base64").toString(), userId, "the user handle is the user id");
    const identities = await server.ctx.storage.identities.listByUser(userId);
    assert.deepEqual(identities.map((i) => i.type).sort(), ["login_id", "passkey"]);

    // userinfo (cookie caller: first party) lists the passkey as Authgear does: identity + primary authenticator.
    const info = (await (await page.request.get(url("/oauth2/userinfo"))).json()) as Record<string, { type: string; kind?: string }[]>;
    assert.deepEqual(info["https://authgear.com/claims/user/identities"].map((i) => i.type).sort(), ["login_id", "passkey"]);
    assert.deepEqual(info["https://authgear.com/claims/user/authenticators"].map((a) => `${a.type}/${a.kind}`).sort(), ["passkey/primary", "password/primary"]);
  });

  it("signs in with the passkey button, skipping the TOTP step a password would need", async () => {
    // A confirmed authenticator app: the password sign-in now stops at /login/totp.
    await server.ctx.storage.totp.putPending({ userId, secret: "JBSWY3DPEHPK3PXP", createdAt: server.ctx.now(), confirmedAt: null, lastUsedStep: 0 });
    assert.ok(await server.ctx.storage.totp.confirm(userId, "JBSWY3DPEHPK3PXP", server.ctx.now(), 1));
    await signOut();
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/login/totp");
    await page.context().clearCookies();

    await page.goto(url("/login"));
    assert.deepEqual(await seriousViolations(page), [], "login page with passkeys: serious or critical axe violations");
    const before = (await authenticator.credentials())[0].signCount;
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    assert.equal(await sessionAmr(), "x_passkey", "Authgear's amr for a passkey sign-in");
    const after = await server.ctx.storage.passkeys.listByUser(userId);
    assert.equal(after[0].signCount, before + 1, "the stored signature counter follows the authenticator's");
    assert.ok(postedAssertion.length > 0);
  });

  it("refuses the same assertion posted again (the challenge is single use)", async () => {
    await signOut();
    await page.goto(url("/login"));
    const answer = page.waitForResponse((r) => r.url() === url("/login/passkey"));
    await submitPasskeyForm(page, postedAssertion);
    assert.equal((await answer).status(), 401);
    await page.getByText("That passkey request expired or was already used. Try again.").waitFor();
    assert.equal(await sessionAmr(), null, "no session was made");
  });

  it("refuses an assertion made on another origin for a live challenge", async () => {
    await page.goto(url("/login"));
    const options = JSON.parse((await page.locator("form[data-passkey=login]").getAttribute("data-passkey-options")) ?? "{}") as { challenge: string; rpId: string };
    assert.equal(options.rpId, "localhost");
    await page.goto(`${otherOrigin}/`);
    const forged = await assertionFrom(page, options.challenge, options.rpId);
    assert.equal(JSON.parse(Buffer.from(JSON.parse(forged).response.clientDataJSON, "base64url").toString()).origin, otherOrigin);
    await page.goto(url("/login"));
    const answer = page.waitForResponse((r) => r.url() === url("/login/passkey"));
    await submitPasskeyForm(page, forged);
    assert.equal((await answer).status(), 401);
    await page.getByText("The passkey could not be used.").waitFor();
    assert.equal(await sessionAmr(), null, "no session was made");
    // The challenge went with the refusal: the same forged assertion cannot be tried again.
    await page.goto(url("/login"));
    await submitPasskeyForm(page, forged);
    await page.getByText("That passkey request expired or was already used.").waitFor();
  });

  it("signs in through autofill (conditional mediation) on the email field", async () => {
    await page.goto(url("/login"));
    await page.evaluate(() => localStorage.setItem("test-autofill", "on"));
    // The virtual authenticator picks the passkey offered in the field's autofill as soon as it is asked.
    await page.reload();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    assert.deepEqual(JSON.parse((await page.evaluate(() => sessionStorage.getItem("test-get"))) ?? "null"), { mediation: "conditional", autocomplete: "username webauthn" });
    assert.equal(await sessionAmr(), "x_passkey");
    await page.evaluate(() => localStorage.removeItem("test-autofill"));
  });

  it("removes the passkey in settings; it then signs in no more", async () => {
    await page.goto(url("/settings"));
    const section = page.locator("section[aria-labelledby=passkeys-heading]");
    await section.getByRole("button", { name: /^Remove passkey / }).click();
    await page.getByText("The passkey was removed.").waitFor();
    await page.getByText("You have no passkeys yet.").waitFor();
    assert.deepEqual(await server.ctx.storage.passkeys.listByUser(userId), []);
    assert.deepEqual((await server.ctx.storage.identities.listByUser(userId)).map((i) => i.type), ["login_id"]);
    await signOut();
    await page.goto(url("/login"));
    const answer = page.waitForResponse((r) => r.url() === url("/login/passkey"));
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    assert.equal((await answer).status(), 401);
    await page.getByText("This passkey is not registered here.").waitFor();
  });

  it("signs up with an email and a passkey, no password", async () => {
    await page.goto(url("/signup"));
    assert.deepEqual(await seriousViolations(page), [], "sign-up with passkeys: serious or critical axe violations");
    await page.getByRole("button", { name: "Sign up with a passkey" }).click();
    await page.getByText("Fill in the field above first").waitFor();
    await page.getByLabel("Email").fill("new-passkey@example.com");
    await page.getByRole("button", { name: "Sign up with a passkey" }).click();
    // A new account with an email gets the verification step, as after password sign-up.
    await page.waitForURL((u) => u.pathname === "/verify");
    const identity = await server.ctx.storage.identities.findByLoginId("email", "new-passkey@example.com");
    assert.ok(identity, "the email login ID was made");
    assert.equal(await server.ctx.storage.passwords.get(identity.userId), null, "no password");
    const keys = await server.ctx.storage.passkeys.listByUser(identity.userId);
    assert.equal(keys.length, 1);
    const held = (await authenticator.credentials()).find((c) => Buffer.from(c.userHandle ?? "", "base64").toString() === identity.userId);
    assert.ok(held, "the authenticator holds a passkey for the new user");
  });

  it("reported no script errors", () => {
    assert.deepEqual(problems, []);
  });
});
