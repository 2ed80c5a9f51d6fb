// Passwordless sign-in in headless Chromium: an emailed login link opened in another tab. Keyboard only
// (type, Enter), every input labelled, no serious axe violation on any page.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser, watchedPage } from "../support/browser.ts";
import { seriousViolations } from "../support/axe.ts";
import { setupAccounts, type AccountFixture } from "../../packages/server/test/account/fixture.ts";

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`;

async function checkPage(page: Page, name: string): Promise<void> {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll("input:not([type=hidden])")].filter((i) => (i as HTMLInputElement).labels?.length === 0).map((i) => i.id));
  assert.deepEqual(unlabelled, [], `${name}: inputs without a label`);
  assert.deepEqual(await seriousViolations(page), [], `${name}: serious or critical axe violations`);
}

async function sessionAmr(page: Page, base: string): Promise<string | undefined> {
  return (await page.context().request.get(`${base}/_resolver/resolve`)).headers()["x-authgear-session-amr"];
}

describe("passwordless in Chromium: email login link opened in another tab", { skip }, () => {
  let f: AccountFixture;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  before(async () => {
    f = await setupAccounts({ authentication: { primary_authenticators: ["oob_otp_email"] }, authenticator: { oob_otp: { email: { email_otp_mode: "login_link" } } } });
    browser = await launchChromium();
    page = await watchedPage(browser, problems);
  });
  after(async () => { await browser?.close(); await f?.close(); });

  it("the link opens in a second tab, is confirmed there, and the first tab continues", async () => {
    await page.goto(`${f.server.url}/login`);
    assert.match(page.url(), /\/login\/otp$/, "with codes as the only first factor, /login is the code page");
    const since = f.inbox.messages.length;
    await page.getByLabel("Email").fill("lin@example.com");
    await page.getByRole("button", { name: "Send the code" }).click();
    await page.getByText("We sent a sign-in link to lin@example.com").waitFor();
    await checkPage(page, "link wait");
    const link = /(http\S+\/login\/link\?token=\S+)/.exec((await f.inbox.next("lin@example.com", { since })).text)![1];
    const tab = await browser.context.newPage();
    await tab.goto(link);
    await checkPage(tab, "link confirm");
    await tab.getByRole("button", { name: "Confirm sign-in" }).click();
    await tab.getByRole("heading", { name: "Sign-in confirmed" }).waitFor();
    await tab.close();
    await page.getByRole("button", { name: "I opened the link, continue" }).click();
    await page.getByText("lin@example.com").first().waitFor();
    assert.equal(await sessionAmr(page, f.server.url), "otp");
    assert.deepEqual(problems, []);
  });
});
