// Biometric sign-in devices in the portal, in Chromium against the real server: a device set up as
// the native SDKs set it up (packages/server/test/device-keys/) is listed on the user's page with its
// model; Remove deletes it through the admin API, and that key signs nobody in again.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import type { TestServer } from "../../packages/server/test/support/server.ts";
import { createAdminKey } from "../../packages/server/src/admin/keys.ts";
import { Device, challenge } from "../../packages/server/test/device-keys/device.ts";
import { EMAIL, NATIVE_CLIENT, NATIVE_SCOPES_WITH_DEVICE_SSO, PASSWORD, codeExchange, nativeSignIn, postToken, startNativeServer } from "../../packages/server/test/device-keys/fixture.ts";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";

const GRANT = "urn:authgear:params:oauth:grant-type:biometric-request";

describe("portal: biometric sign-in devices", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let userId: string;
  let key: string;
  const device = new Device();
  const pageErrors: string[] = [];
  const biometric = async (action: "setup" | "authenticate", bearer?: string) =>
    postToken(server, { grant_type: GRANT, client_id: NATIVE_CLIENT.client_id, jwt: device.biometricJwt(await challenge(server.url, "biometric_request"), action), ...(action === "authenticate" ? { scope: NATIVE_SCOPES_WITH_DEVICE_SSO } : {}) },
      bearer ? { authorization: `Bearer ${bearer}` } : {});

  before(async () => {
    server = await startNativeServer();
    userId = await server.createUser(EMAIL, PASSWORD);
    const tokens = await codeExchange(server, await nativeSignIn(server));
    assert.equal((await biometric("setup", String(tokens.body.access_token))).status, 200);
    key = (await createAdminKey(server.ctx, "portal")).key;
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(5000);
    page.on("pageerror", (err) => pageErrors.push(`pageerror: ${err.message}`));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lists the device and removes it", async () => {
    await page.goto(`${server.url}/portal`);
    await page.getByLabel("Admin API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.goto(`${server.url}/portal#/users/${userId}`);
    const card = page.locator("section[aria-labelledby=biometric-h]");
    await card.getByText("Google Pixel 8").waitFor();
    await card.getByRole("button", { name: "Remove biometric sign-in on Google Pixel 8" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await page.getByText("Biometric sign-in removed from Google Pixel 8.").waitFor();
    await card.getByText("No device is set up for biometric sign-in.").waitFor();
    assert.deepEqual(await server.ctx.storage.deviceKeys.listByUser(userId), []);
    assert.equal((await biometric("authenticate")).body.error, "invalid_grant");
    assert.deepEqual(pageErrors, []);
  });
});
