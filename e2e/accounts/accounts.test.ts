// Every account flow in headless Chromium against the real server, with mail through a real SMTP
// server: sign up → verify → turn on TOTP in settings → sign out → sign in with TOTP → sign in with
// a recovery code → forgot/reset password by the emailed link → old sessions are revoked → manage
// sessions. UPDATE_SCREENSHOTS=1 also writes docs/screenshots/account-*.png.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser, watchedPage } from "../support/browser.ts";
import { setupAccounts, codeIn, linkIn, totpNow, submitLogin, finishAtApp, getPage, post, csrfOf, UserAgent, type AccountFixture } from "../../packages/server/test/account/fixture.ts";

const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";
const SCREENSHOT_DIR = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const EMAIL = "june@example.com";
const PASSWORD = "junes first password";
const NEW_PASSWORD = "junes second password";

describe("account flows in Chromium", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let f: AccountFixture;
  let browser: Browser;
  let page: Page;
  let secret = "";
  let recovery: string[] = [];
  const problems: string[] = [];
  const url = (path: string): string => `${f.server.url}${path}`;
  /** Each TOTP time step works once: the server's clock moves on before each new code. */
  const freshCode = async (): Promise<string> => {
    f.server.advance(30);
    return totpNow(secret, f.server.ctx.now());
  };

  async function shot(name: string): Promise<void> {
    // Every page: labelled inputs, no stray text, no CSP or script errors.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll("input:not([type=hidden])")].filter((i) => (i as HTMLInputElement).labels?.length === 0).map((i) => i.id));
    assert.deepEqual(unlabelled, [], `${name}: inputs without a label`);
    assert.doesNotMatch(await page.locator("main").innerText(), /\b(null|undefined|NaN|\[object Object\])\b|\{\w+\}/, name);
    if (!UPDATE_SCREENSHOTS) return;
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `account-${name}.png`), caret: "hide", animations: "disabled", fullPage: true });
  }

  /** The session this browser holds, as the resolver sees it (Authgear's headers). */
  async function resolved(): Promise<Record<string, string>> {
    return (await page.context().request.get(url("/_resolver/resolve"))).headers();
  }

  async function signOut(): Promise<void> {
    await page.goto(url("/settings"));
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.getByText("You have been signed out").waitFor();
  }

  async function password(email: string, pw: string): Promise<void> {
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(pw);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  before(async () => {
    f = await setupAccounts({ authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 }, password_policy: { min_length: 10, minimum_guessable_level: 2 } } });
    browser = await launchChromium({ viewport: { width: 720, height: 760 } });
    page = await watchedPage(browser, problems);
  });
  after(async () => {
    await browser?.close();
    await f?.close();
  });

  it("signs up (under the password policy) and verifies the email with the emailed code", async () => {
    await page.goto(url("/login"));
    await shot("login");
    await page.getByRole("link", { name: "Create one" }).click();
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill("password1");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("alert").getByText("Choose a stronger password").waitFor();
    await shot("signup");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    const code = codeIn(await f.inbox.next(EMAIL));
    await shot("verify");
    await page.getByLabel("6-digit code").fill(code);
    await page.getByRole("button", { name: "Verify email" }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    const headers = await resolved();
    assert.equal(headers["x-authgear-user-verified"], "true");
    assert.equal(headers["x-authgear-session-amr"], "pwd");
  });

  it("turns on TOTP in settings and shows the recovery codes once", async () => {
    await page.goto(url("/settings"));
    await page.getByRole("link", { name: "Set up an authenticator app" }).click();
    await page.getByRole("img", { name: "QR code for setting up your authenticator app" }).waitFor();
    secret = (await page.locator("#totp-secret").innerText()).replace(/\s/g, "");
    await shot("totp-setup");
    await page.getByLabel("6-digit code").fill(await freshCode());
    await page.getByRole("button", { name: "Turn on two-step verification" }).click();
    await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
    recovery = (await page.locator("#recovery-codes li").allInnerTexts()).map((s) => s.trim());
    assert.equal(recovery.length, 10);
    await shot("recovery-codes");
    await page.getByRole("link", { name: "I have saved my codes" }).click();
    await page.getByText("On: sign-ins ask for a code").waitFor();
    await shot("settings");
    await signOut();
  });

  it("signs in with the password and a TOTP code (amr pwd otp mfa)", async () => {
    await password(EMAIL, PASSWORD);
    await page.getByRole("heading", { name: "Two-step verification" }).waitFor();
    await shot("totp-login");
    await page.getByLabel("Authentication code").fill(await freshCode());
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    assert.equal((await resolved())["x-authgear-session-amr"], "pwd otp mfa");
    await signOut();
  });

  it("signs in with a recovery code instead (amr pwd x_recovery_code mfa)", async () => {
    await password(EMAIL, PASSWORD);
    await page.getByRole("link", { name: "Use a recovery code instead" }).click();
    await shot("recovery-login");
    await page.getByLabel("Recovery code").fill(recovery[3]);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    assert.equal((await resolved())["x-authgear-session-amr"], "pwd x_recovery_code mfa");
  });

  it("resets the password by the emailed link, and every old session is revoked", async () => {
    // Another device holds a session and an app holds a refresh token.
    const other = new UserAgent();
    const first = await submitLogin(f.server, other, EMAIL, PASSWORD);
    const step = await getPage(other, url(first.headers.get("location")!));
    const tokens = await finishAtApp(f.server, other, await post(other, url("/login/totp"), { csrf: csrfOf(step.html), code: await freshCode() }));
    assert.deepEqual(tokens.claims.amr, ["pwd", "otp", "mfa"]);

    await page.goto(url("/login"));
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email").fill(EMAIL);
    await shot("forgot");
    const since = f.inbox.messages.length;
    await page.getByRole("button", { name: "Send reset instructions" }).click();
    await page.getByText(`If an account exists for ${EMAIL}`).waitFor();
    await shot("reset-sent");
    const mail = await f.inbox.next(EMAIL, { since });
    assert.match(codeIn(mail), /^\d{6}$/);
    await page.goto(linkIn(mail));
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
    await shot("new-password");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("heading", { name: "Password changed" }).waitFor();
    await shot("reset-done");

    assert.equal((await resolved())["x-authgear-session-valid"], "false", "this browser's old session is gone");
    const bearer = await fetch(url("/_resolver/resolve"), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(bearer.headers.get("x-authgear-session-valid"), "false", "the other device's tokens are gone");
    assert.equal((await other.request(url("/settings"))).status, 303);
    await page.goto(linkIn(mail));
    await page.getByText("This reset link has expired or was already used").waitFor();
  });

  it("signs in with the new password and signs another session out from settings", async () => {
    const other = new UserAgent();
    const first = await submitLogin(f.server, other, EMAIL, NEW_PASSWORD);
    const step = await getPage(other, url(first.headers.get("location")!));
    const tokens = await finishAtApp(f.server, other, await post(other, url("/login/totp"), { csrf: csrfOf(step.html), code: await freshCode() }));

    await password(EMAIL, NEW_PASSWORD);
    await page.getByLabel("Authentication code").fill(await freshCode());
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    await page.goto(url("/settings"));
    const rows = page.locator("ul.sessions li");
    assert.equal(await rows.count(), 3, "this browser, the other browser session, the app's refresh token");
    await rows.filter({ hasText: "This browser" }).waitFor();
    await shot("settings-sessions");
    await rows.filter({ hasText: "App: Test SPA" }).getByRole("button", { name: "Sign out" }).click();
    await page.getByText("That session has been signed out.").waitFor();
    assert.equal(await page.locator("ul.sessions li").count(), 2, "the app's refresh token is gone");
    await page.locator("ul.sessions li").filter({ hasNotText: "This browser" }).getByRole("button", { name: "Sign out" }).click();
    await page.getByText("That session has been signed out.").waitFor();
    assert.equal(await page.locator("ul.sessions li").count(), 1, "only this browser is left");
    assert.equal((await other.request(url("/settings"))).status, 303, "the other browser is signed out");
    const refresh = await fetch(url("/oauth2/token"), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(tokens.refresh_token), client_id: "test-spa" }) });
    assert.equal(refresh.status, 400);
    assert.deepEqual(problems, []);
  });
});
