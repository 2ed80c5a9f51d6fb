// Passwordless sign-in in headless Chromium against the real server: an emailed code and an SMS
// code (texts go to the local outbox); the login link is in link.test.ts. Keyboard only
// (type, Enter), every input labelled, no serious axe violation on any page.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser, watchedPage } from "../support/browser.ts";
import { seriousViolations } from "../support/axe.ts";
import { setupAccounts, codeIn, type AccountFixture } from "../../packages/server/test/account/fixture.ts";
import { smsFor } from "../../packages/server/src/messaging/sms/queue.ts";

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`;

async function checkPage(page: Page, name: string): Promise<void> {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll("input:not([type=hidden])")].filter((i) => (i as HTMLInputElement).labels?.length === 0).map((i) => i.id));
  assert.deepEqual(unlabelled, [], `${name}: inputs without a label`);
  assert.deepEqual(await seriousViolations(page), [], `${name}: serious or critical axe violations`);
}

async function sessionAmr(page: Page, base: string): Promise<string | undefined> {
  return (await page.context().request.get(`${base}/_resolver/resolve`)).headers()["x-authgear-session-amr"];
}

describe("passwordless in Chromium: email code and SMS code", { skip }, () => {
  let f: AccountFixture;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  before(async () => {
    f = await setupAccounts({ identity: { login_id: { keys: [{ type: "email" }, { type: "phone" }] } }, authentication: { primary_authenticators: ["oob_otp_email", "oob_otp_sms", "password"] } });
    browser = await launchChromium();
    page = await watchedPage(browser, problems);
  });
  after(async () => { await browser?.close(); await f?.close(); });

  it("email: from the login page's link, a code by email, signed in (amr otp)", async () => {
    await page.goto(`${f.server.url}/login`);
    await page.getByRole("link", { name: "Sign in with a one-time code instead" }).click();
    await checkPage(page, "start");
    const since = f.inbox.messages.length;
    await page.getByLabel("Email or phone number").focus();
    await page.keyboard.type("ema@example.com");
    await page.keyboard.press("Enter");
    await page.getByText("We sent a 6-digit code to ema@example.com").waitFor();
    await checkPage(page, "code");
    const code = codeIn(await f.inbox.next("ema@example.com", { since }));
    await page.getByLabel("Code").focus();
    await page.keyboard.type(code);
    await page.keyboard.press("Enter");
    await page.getByText("ema@example.com").first().waitFor();
    assert.equal(await sessionAmr(page, f.server.url), "otp");
    assert.deepEqual(problems, []);
  });

  it("SMS: a code texted to the phone (outbox), signed in (amr otp sms)", async () => {
    await page.context().clearCookies();
    await page.goto(`${f.server.url}/login/otp`);
    await page.getByLabel("Email or phone number").fill("+852 6123 4567");
    await page.getByRole("button", { name: "Send the code" }).click();
    await page.getByText("We texted a 6-digit code to +85261234567").waitFor();
    await smsFor(f.server.ctx).idle();
    const sms = (await f.server.ctx.storage.outbox.list(5)).find((m) => m.to === "+85261234567")!;
    await page.getByLabel("Code").fill(/^(\d{6})/.exec(sms.text)![1]);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("+85261234567").first().waitFor();
    assert.equal(await sessionAmr(page, f.server.url), "otp sms");
    assert.deepEqual(problems, []);
  });
});
