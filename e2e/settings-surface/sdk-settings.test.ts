// Authgear's @authgear/web (unmodified bundle) in real Chromium, refresh-token session type, on an
// origin other than Gatehouse's: open(Page.Settings) lands signed in on /settings; the change_password
// settings action changes the password on its own page and finishChangePassword() redeems the code
// ({}); startDeleteAccount() schedules the deletion and finishDeleteAccount() ends the app's session,
// after which the refresh token is dead and the sign-in page says the account is to be deleted.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { launchChromium, type Browser } from "../support/browser.ts";
import { startSettingsApp, CLIENT_ID, type SettingsApp, type SettingsAppHelpers } from "./app-server.ts";

declare global {
  interface Window { settingsApp: SettingsAppHelpers }
}

const EMAIL = "settings-user@example.com";
const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a completely new passphrase";

describe("@authgear/web settings surface against Gatehouse", () => {
  let app: SettingsApp;
  let gatehouse: TestServer;
  let browser: Browser;
  let page: Page;
  let userId: string;
  const browserLog: string[] = [];

  before(async () => {
    app = await startSettingsApp();
    gatehouse = await startTestServer({ clients: [app.client], config: { account_deletion: { scheduled_by_end_user_enabled: true } } });
    app.useGatehouse(gatehouse.url);
    userId = await gatehouse.createUser(EMAIL, PASSWORD);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    page.on("console", (m) => { if (m.type() === "error") browserLog.push(`[console.error] ${m.text()}`); });
    page.on("pageerror", (e) => browserLog.push(`[pageerror] ${e.message}`));
  });

  after(async () => {
    await browser?.close();
    await gatehouse?.close();
    await app?.close();
  });

  const appLoaded = () => page.waitForFunction(() => typeof window.settingsApp === "object");
  const withLog = async (flow: () => Promise<void>) => {
    try {
      await flow();
    } catch (e) {
      if (e instanceof Error && browserLog.length) e.message += `\nbrowser log:\n${browserLog.join("\n")}`;
      throw e;
    }
  };

  async function signIn(password: string): Promise<void> {
    await page.goto(`${app.origin}/`);
    await appLoaded();
    await page.evaluate(() => window.settingsApp.configure());
    await page.evaluate(() => { void window.settingsApp.start(); });
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/login");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/callback");
    await appLoaded();
    await page.evaluate(() => window.settingsApp.configure());
    const done = await page.evaluate(() => window.settingsApp.finish());
    assert.deepEqual(done, { sub: userId, sessionState: "AUTHENTICATED" });
  }

  it("open(Page.Settings) lands signed in on the settings page", () => withLog(async () => {
    await signIn(PASSWORD);
    const tokenResponse = page.waitForResponse((r) => r.url() === `${gatehouse.url}/oauth2/app_session_token`);
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${gatehouse.url}/oauth2/authorize?`));
    await page.evaluate(() => { void window.settingsApp.openSettings(); });
    const res = await tokenResponse;
    assert.equal(res.status(), 200);
    assert.equal(res.headers()["access-control-allow-origin"], app.origin, "a cross-origin call the SDK may read");
    const q = new URL((await authorize).url()).searchParams;
    // @authgear/web 6 sends <issuer>/settings (the React Native SDK adds a "?"): both are accepted.
    assert.equal(q.get("redirect_uri"), `${gatehouse.url}/settings`);
    assert.equal(q.get("response_type"), "none");
    assert.equal(q.get("prompt"), "none");
    assert.match(q.get("login_hint") ?? "", /^https:\/\/authgear\.com\/login_hint\?type=app_session_token&app_session_token=/);
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/settings");
    await page.getByRole("heading", { level: 1 }).waitFor();
    assert.match(await page.content(), new RegExp(EMAIL.replace(/[.@]/g, "\\$&")));
    // The token was spent: presenting it again is refused (back at the redirect URI with an error).
    const again = await fetch(`${gatehouse.url}/oauth2/authorize?${new URLSearchParams({ ...Object.fromEntries(q), redirect_uri: `${gatehouse.url}/settings` })}`, { redirect: "manual" });
    assert.equal(new URL(again.headers.get("location")!).searchParams.get("error"), "invalid_request");
  }));

  it("the change_password settings action changes the password on its own page and returns to the app", () => withLog(async () => {
    await page.goto(`${app.origin}/`);
    await appLoaded();
    assert.equal(await page.evaluate(() => window.settingsApp.configure()), "AUTHENTICATED");
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${gatehouse.url}/oauth2/authorize?`));
    await page.evaluate(() => { void window.settingsApp.startChangePassword(); });
    const q = new URL((await authorize).url()).searchParams;
    assert.equal(q.get("response_type"), "urn:authgear:params:oauth:response-type:settings-action");
    assert.equal(q.get("x_settings_action"), "change_password");
    assert.equal(q.get("redirect_uri"), app.actionRedirectURI);
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/settings/change_password");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/after-settings-action");
    assert.ok(new URL(page.url()).searchParams.get("code"));
    await appLoaded();
    await page.evaluate(() => window.settingsApp.configure());
    const grant = page.waitForResponse((r) => r.url() === `${gatehouse.url}/oauth2/token`);
    assert.deepEqual(await page.evaluate(() => window.settingsApp.finishAction("password")), { ok: true, sessionState: "AUTHENTICATED" });
    const grantResponse = await grant;
    assert.equal(new URLSearchParams(grantResponse.request().postData() ?? "").get("grant_type"), "urn:authgear:params:oauth:grant-type:settings-action");
    assert.equal(grantResponse.status(), 200);
    assert.deepEqual(await grantResponse.json(), {});
    const stored = await gatehouse.ctx.storage.passwords.get(userId);
    assert.ok(stored && (await gatehouse.ctx.passwords.verify(stored, NEW_PASSWORD)), "the new password is set");
    assert.deepEqual(await page.evaluate(() => window.settingsApp.userInfoOrError()), { sub: userId }, "the app's session carries on");
  }));

  it("startDeleteAccount schedules the deletion; finishDeleteAccount ends the app's session", () => withLog(async () => {
    const refreshToken = await page.evaluate(() => window.settingsApp.refreshToken());
    assert.ok(refreshToken);
    await page.evaluate(() => { void window.settingsApp.startDeleteAccount(); });
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/settings/delete_account");
    await page.getByLabel("I understand that my account and its data will be deleted.").check();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/after-settings-action");
    await appLoaded();
    await page.evaluate(() => window.settingsApp.configure());
    assert.deepEqual(await page.evaluate(() => window.settingsApp.finishAction("delete")), { ok: true, sessionState: "NO_SESSION" });
    assert.equal(await page.evaluate(() => window.settingsApp.refreshToken()), null);

    const schedule = await gatehouse.ctx.storage.accountDeletions.get(userId);
    assert.ok(schedule, "the deletion is scheduled");
    assert.equal(schedule.deleteAt - schedule.scheduledAt, 30 * 86400, "Authgear's default grace period");
    const refresh = await fetch(`${gatehouse.url}/oauth2/token`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: refreshToken }),
    });
    assert.equal((await refresh.json()).error, "invalid_grant");

    // Signing in again: the page says the account is to be deleted.
    await page.evaluate(() => { void window.settingsApp.start(); });
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/login");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(/This account is scheduled for deletion on/).waitFor();
  }));
});
