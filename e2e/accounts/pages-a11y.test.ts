// The hosted pages in Chromium, for people who use a keyboard or a screen reader: every page passes
// axe-core with no serious or critical violation; sign-up, verification, sign-out and sign-in work
// with the keyboard alone (Tab, Enter, typing); the show-password toggle and the recovery-code copy
// and download buttons work, and the forms work without the script.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser, watchedPage } from "../support/browser.ts";
import { seriousViolations } from "../support/axe.ts";
import { setupAccounts, codeIn, linkIn, totpNow, type AccountFixture } from "../../packages/server/test/account/fixture.ts";
import { matchTotp } from "../../packages/server/src/account/mfa/totp.ts";

const EMAIL = "kim@example.com";
const PASSWORD = "violet harbor lantern";

describe("hosted pages: accessibility and keyboard", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let f: AccountFixture;
  let browser: Browser;
  let page: Page;
  let secret = "";
  let recovery: string[] = [];
  const problems: string[] = [];
  const checked: string[] = [];
  const url = (path: string): string => `${f.server.url}${path}`;

  /** axe on the page as it is now; the name goes into the list of pages covered. */
  async function axe(name: string): Promise<void> {
    assert.deepEqual(await seriousViolations(page), [], `${name}: serious or critical axe violations`);
    checked.push(name);
  }

  /** Presses Tab until the focused element's text (or value) matches, as a keyboard user would. */
  async function tabTo(name: RegExp, max = 12): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? (el.innerText || (el as HTMLInputElement).value || el.getAttribute("aria-label") || el.id || "").trim() : "";
      });
      if (name.test(focused)) return;
    }
    throw new Error(`Tab never reached ${name} on ${page.url()}`);
  }

  const focusedId = (): Promise<string> => page.evaluate(() => document.activeElement?.id ?? "");

  before(async () => {
    f = await setupAccounts({ authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } } });
    browser = await launchChromium({ viewport: { width: 720, height: 760 } });
    page = await watchedPage(browser, problems);
  });
  after(async () => {
    await browser?.close();
    await f?.close();
  });

  it("signs up and verifies the email with the keyboard alone", async () => {
    await page.goto(url("/signup"));
    await axe("sign-up");
    assert.equal(await focusedId(), "email", "the first field has the focus");
    await page.keyboard.type(EMAIL);
    await tabTo(/^$|password/i); // the password field (an empty input has no text)
    assert.equal(await focusedId(), "password");
    await page.keyboard.type(PASSWORD);
    await tabTo(/^Show password$/);
    await page.keyboard.press("Enter");
    assert.equal(await page.getAttribute("#password", "type"), "text", "Enter on the toggle shows the password");
    assert.equal(await page.getAttribute("button[data-reveal]", "aria-pressed"), "true");
    await page.keyboard.press("Space");
    assert.equal(await page.getAttribute("#password", "type"), "password", "Space hides it again");
    await tabTo(/^Create account$/);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/verify$/);
    await axe("verification");
    assert.equal(await focusedId(), "code");
    await page.keyboard.type(codeIn(await f.inbox.next(EMAIL)));
    await tabTo(/^Verify email$/);
    await page.keyboard.press("Enter");
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    await axe("signed-in home");
  });

  it("signs out and back in with the keyboard alone, from the signed-out page's link", async () => {
    await tabTo(/^Sign out$/);
    await page.keyboard.press("Enter");
    await page.getByText("You are signed out").waitFor();
    await axe("signed out");
    await tabTo(/^Sign in again$/);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/login$/);
    await axe("login");
    assert.equal(await focusedId(), "email");
    await page.keyboard.type(EMAIL);
    await page.keyboard.press("Tab");
    assert.equal(await focusedId(), "password");
    await page.keyboard.type(PASSWORD);
    await tabTo(/^Sign in$/);
    await page.keyboard.press("Enter");
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
  });

  it("settings, authenticator set-up and recovery codes pass axe; the codes can be copied and downloaded", async () => {
    await page.goto(url("/settings"));
    await axe("settings");
    await page.getByRole("link", { name: "Set up an authenticator app" }).click();
    await axe("authenticator set-up");
    secret = ((await page.locator("#totp-secret").textContent()) ?? "").replace(/\s/g, "");
    f.server.advance(30);
    await page.getByLabel("6-digit code").fill(await totpNow(secret, f.server.ctx.now()));
    await page.getByRole("button", { name: "Turn on two-step verification" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    await axe("recovery codes");
    recovery = await page.locator("#recovery-codes code").allTextContents();
    assert.equal(recovery.length, 10);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download as a text file" }).click()]);
    assert.equal(download.suggestedFilename(), "recovery-codes.txt");
    assert.equal(readFileSync((await download.path())!, "utf8"), `${recovery.join("\n")}\n`);

    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: f.server.url });
    await page.getByRole("button", { name: "Copy codes" }).click();
    await page.getByText("Codes copied to the clipboard.").waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${recovery.join("\n")}\n`);
  });

  it("the second-step, reset and error pages pass axe", async () => {
    await page.goto(url("/settings"));
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByText("You are signed out").waitFor();
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/login\/totp$/);
    await axe("TOTP step");
    await page.getByRole("button", { name: "Verify" }).click(); // empty: says what is missing
    await page.getByText("Enter the 6-digit code.").waitFor();
    await axe("TOTP step with an error");
    // A code whose time step was already spent (as when the code that turned TOTP on is typed again
    // within its 30 seconds). The step is spent here rather than left to the clock: under load the
    // pages above can take longer than one step, and then a fresh code would simply be accepted.
    const now = f.server.ctx.now();
    const code = await totpNow(secret, now);
    const owner = await f.server.ctx.storage.identities.findByLoginId("email", EMAIL);
    await f.server.ctx.storage.totp.markUsed(owner!.userId, (await matchTotp(secret, code, now))!);
    await page.getByLabel("Authentication code").fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText("That code was already used. Wait for your authenticator app to show a new code, then enter it.").waitFor();
    await page.getByRole("link", { name: "Use a recovery code instead" }).click();
    await axe("recovery code step");
    await page.getByLabel("Recovery code").fill(recovery[0]);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();

    // Sign-out asked for by another site: the confirmation page.
    await page.goto(`${f.server.url.replace("127.0.0.1", "localhost")}/nothing-here`);
    await axe("not found");
    await page.evaluate((to) => { location.href = to; }, url("/oauth2/end_session"));
    await page.getByRole("heading", { name: "Sign out?" }).waitFor();
    await axe("sign-out confirmation");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You are signed out").waitFor();

    await page.goto(url("/login"));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByText("Enter your email address.").waitFor();
    await axe("login with missing fields");
    await page.goto(url("/login?flow=0123456789abcdef0123456789abcdef"));
    await axe("expired sign-in link");
    await page.goto(url("/login/totp"));
    await axe("expired sign-in step");

    await page.goto(url("/forgot"));
    await axe("forgot password");
    await page.getByLabel("Email").fill(EMAIL);
    const sent = f.inbox.messages.length;
    await page.getByRole("button", { name: "Send reset instructions" }).click();
    await page.getByLabel("Code from the email").waitFor();
    await axe("reset code");
    await page.goto(linkIn(await f.inbox.next(EMAIL, { since: sent })));
    await axe("new password");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Enter a new password.").waitFor();
    await axe("new password with an error");
    assert.deepEqual(problems, [], "no script or CSP errors on any page");
  });

  it("tells a disabled user why after the right password, and refuses a common password at sign-up, in words", async () => {
    const id = await f.server.createUser("lou@example.com", PASSWORD);
    await f.server.ctx.storage.users.update(id, { disabled: true, disabledReason: "Suspended while we check a payment" }, f.server.ctx.now());
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill("lou@example.com");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "This account has been disabled: Suspended while we check a payment" }).waitFor();
    await axe("disabled account");

    await page.goto(url("/signup"));
    await page.getByLabel("Email").fill("mo@example.com");
    await page.getByLabel("Password", { exact: true }).fill("iloveyou1");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("alert").filter({ hasText: "Choose a stronger password: it must not be one of the 10,000 most common passwords." }).waitFor();
    await axe("sign-up with a refused password");
  });

  it("the forms work without the script: the toggle stays hidden and sign-in still works", async () => {
    await page.route("**/_gatehouse/account.js", (route) => route.abort());
    try {
      await page.goto(url("/login"));
      assert.equal(await page.getByRole("button", { name: "Show password" }).count(), 0, "no dead button without the script");
      await page.getByLabel("Email").fill("nobody@example.com");
      await page.getByLabel("Password", { exact: true }).fill("whatever-it-is");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByText("Incorrect email or password.").waitFor();
    } finally {
      await page.unroute("**/_gatehouse/account.js");
    }
    assert.ok(checked.length >= 22, `axe covered ${checked.length} pages: ${checked.join(", ")}`);
  });
});
