// An app on Authgear's official web SDK (@authgear/web, unmodified, e2e/sdk-web/app-server.ts)
// signs a user in with a passkey on Gatehouse's login page: nothing in the app changes. The
// passkey is added first on Gatehouse's settings page (a CDP virtual authenticator in Chromium).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { startAppServer, type AppServer, type AppHelpers } from "../sdk-web/app-server.ts";
import { addVirtualAuthenticator, PASSKEY_AUTHENTICATION } from "./support.ts";

declare global {
  interface Window { app: AppHelpers }
}

const EMAIL = "sdk-passkey@example.com";
const PASSWORD = "a long enough password";

describe("@authgear/web signs in with a passkey", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let app: AppServer;
  let gatehouse: TestServer;
  let browser: Browser;
  let page: Page;
  let userId: string;

  before(async () => {
    app = await startAppServer();
    gatehouse = await startTestServer({ host: "localhost", clients: [app.client], config: { authentication: PASSKEY_AUTHENTICATION } });
    app.useGatehouse(gatehouse.url);
    userId = await gatehouse.createUser(EMAIL, PASSWORD);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    await addVirtualAuthenticator(page);
    // Autofill would answer at once (virtual authenticator): here the button is what is pressed.
    await page.addInitScript(() => { if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = async () => false; });
  });
  after(async () => {
    await browser?.close();
    await gatehouse?.close();
    await app?.close();
  });

  it("adds a passkey on Gatehouse, then the SDK's sign-in uses it", async () => {
    await page.goto(`${gatehouse.url}/login`);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    await page.goto(`${gatehouse.url}/settings`);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Your passkey was added.").waitFor();
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByText("You have been signed out").waitFor();

    await page.goto(`${app.origin}/`);
    await page.waitForFunction(() => typeof window.app === "object");
    assert.equal(await page.evaluate(() => window.app.configure()), "NO_SESSION");
    await page.evaluate(() => { void window.app.start("passkey-state"); });
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/login");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/callback");
    await page.waitForFunction(() => typeof window.app === "object");
    await page.evaluate(() => window.app.configure());
    const finished = await page.evaluate(() => window.app.finish());
    assert.deepEqual(finished, { state: "passkey-state", sessionState: "AUTHENTICATED", sub: userId, email: EMAIL });
    // The app's backend verifies the SDK's access token; its amr says how the user signed in.
    assert.deepEqual(await page.evaluate(() => window.app.me()), { status: 200, body: { sub: userId, client_id: app.client.client_id } });
    assert.deepEqual(app.verified[0].amr, ["x_passkey"]);
  });
});
