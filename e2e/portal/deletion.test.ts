// Scheduled deletion in the portal, in Chromium against the real server: an operator schedules a
// user's deletion (the user is disabled and the schedule shown with its date), then cancels it
// (the user is enabled again); the admin API agrees at each step.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { createAdminKey } from "../../packages/server/src/admin/keys.ts";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";

describe("portal: scheduled deletion", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let userId: string;
  let key: string;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startTestServer({ config: { account_deletion: { grace_period_days: 14 } } });
    userId = await server.createUser("leaving@example.com", "leaving-password-1");
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

  it("schedules and cancels a user's deletion", async () => {
    await page.goto(`${server.url}/portal`);
    await page.getByLabel("Admin API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.goto(`${server.url}/portal#/users/${userId}`);
    await page.getByRole("button", { name: "Schedule deletion" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("asked by email");
    await dialog.getByRole("button", { name: "Schedule deletion" }).click();
    await page.getByText("Deletion scheduled. The user is disabled and signed out.").waitFor();
    await page.getByRole("button", { name: "Cancel deletion" }).waitFor();
    assert.match(await page.locator("section[aria-labelledby=deletion-h]").innerText(), /Requested by an operator/);
    assert.equal((await server.ctx.storage.users.get(userId))!.disabled, true);
    const d = await server.ctx.storage.accountDeletions.get(userId);
    assert.equal(d!.deleteAt - d!.scheduledAt, 14 * 86400);

    await page.getByRole("button", { name: "Cancel deletion" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel deletion" }).click();
    await page.getByText("Deletion cancelled. The user can sign in again.").waitFor();
    await page.getByRole("button", { name: "Schedule deletion" }).waitFor();
    assert.equal((await server.ctx.storage.users.get(userId))!.disabled, false);
    assert.equal(await server.ctx.storage.accountDeletions.get(userId), null);
    assert.deepEqual(pageErrors, []);
  });
});
