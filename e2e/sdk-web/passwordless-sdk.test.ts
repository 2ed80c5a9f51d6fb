// Authgear's official @authgear/web SDK, unchanged, signing in to Gatehouse with an emailed code
// (primary_authenticators: [oob_otp_email]) in real Chromium: the SDK's authorize redirect lands on
// the code page, the code from the (real SMTP) inbox finishes the login, finishAuthentication gets
// tokens whose amr is ["otp"], and the app's backend accepts the access token.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { startInbox, codeIn, type Inbox } from "../../packages/server/test/account/fixture.ts";
import { launchChromium, type Browser } from "../support/browser.ts";
import { startAppServer, type AppServer, type AppHelpers } from "./app-server.ts";

declare global {
  interface Window { app: AppHelpers }
}

describe("@authgear/web SDK: passwordless sign-in with an emailed code", () => {
  let app: AppServer;
  let gatehouse: TestServer;
  let inbox: Inbox;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startAppServer();
    inbox = await startInbox();
    gatehouse = await startTestServer({
      clients: [app.client],
      config: { messaging: { smtp: { host: "127.0.0.1", port: inbox.port } }, authentication: { primary_authenticators: ["oob_otp_email"] } },
    });
    app.useGatehouse(gatehouse.url);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await browser?.close();
    await gatehouse?.close();
    await inbox?.close();
    await app?.close();
  });

  it("signs up and in with the code; the SDK's session works against the app backend", async () => {
    await page.goto(`${app.origin}/`);
    await page.waitForFunction(() => typeof window.app === "object");
    assert.equal(await page.evaluate(() => window.app.configure()), "NO_SESSION");
    await page.evaluate(() => { void window.app.start("otp-state"); });
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/login/otp");
    const since = inbox.messages.length;
    await page.getByLabel("Email").fill("sdk-otp@example.com");
    await page.getByRole("button", { name: "Send the code" }).click();
    await page.getByLabel("Code").fill(codeIn(await inbox.next("sdk-otp@example.com", { since })));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/callback");
    await page.waitForFunction(() => typeof window.app === "object");
    await page.evaluate(() => window.app.configure());
    const finished = await page.evaluate(() => window.app.finish());
    assert.equal(finished.state, "otp-state");
    assert.equal(finished.sessionState, "AUTHENTICATED");
    assert.equal(finished.email, "sdk-otp@example.com");
    const me = await page.evaluate(() => window.app.me());
    assert.equal(me.status, 200);
    const token = app.verified.at(-1)!.token;
    assert.deepEqual(JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).amr, ["otp"]);
    const info = await page.evaluate(() => window.app.userInfo());
    assert.equal(info.emailVerified, true);
  });
});
