// The operators' tools in the portal, in Chromium against the real server: the sign-in hint's
// command really makes a key, admin keys are listed and revoked (a revoked key fails at once),
// users are created, a lockout made by real failed sign-ins is cleared, two-step verification is
// removed, the audit log names people and filters by user and event, and errors are in words.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { UserAgent, submitLogin } from "../../packages/server/test/account/fixture.ts";
import { createAdminKey } from "../../packages/server/src/admin/keys.ts";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";

const BIN = new URL("../../bin/gatehouse.mjs", import.meta.url).pathname;
const EMAIL = "lost.phone@example.com";
const PASSWORD = "lost-phone-password-1";

describe("portal: operators' tools", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let userId: string;
  const pageErrors: string[] = [];
  const apiStatus = async (key: string) => (await fetch(`${server.url}/_api/admin/users?limit=1`, { headers: { authorization: `Bearer ${key}` } })).status;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-portal-ops-"));
    server = await startTestServer({ databaseUrl: `sqlite:${join(dir, "db.sqlite")}` });
    userId = await server.createUser(EMAIL, PASSWORD);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(5000);
    page.on("pageerror", (err) => pageErrors.push(`pageerror: ${err.message}`));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the sign-in hint's command creates a key that signs in; a wrong key is refused in words", async () => {
    await page.goto(`${server.url}/portal`);
    const command = await page.locator("[data-command]").innerText();
    assert.match(await page.locator(".signin-form .hint").innerText(), /--config FILE/);
    writeFileSync(join(dir, "c.yaml"), `database:\n  url: "sqlite:${join(dir, "db.sqlite")}"\n`);
    const [npx, gatehouse, ...args] = command.split(" ");
    assert.deepEqual([npx, gatehouse], ["npx", "gatehouse"]);
    const made = spawnSync(process.execPath, [BIN, ...args, "--config", "c.yaml"], { cwd: dir, encoding: "utf8", timeout: 60000 });
    assert.equal(made.status, 0, `${command}: ${made.stderr}`);
    const key = made.stdout.trim();
    assert.match(key, /^gha_/);

    await page.getByLabel("Admin API key").fill(`gha_${"0".repeat(32)}_${"x".repeat(43)}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.equal(await alert.innerText(), "This admin API key is not accepted: it is mistyped, or it has been revoked.");
    await page.getByLabel("Admin API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  });

  it("creates a user from the portal, with the password policy's refusal in words", async () => {
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Email", { exact: true }).fill("new.hire@example.com");
    await dialog.getByLabel("Password", { exact: true }).fill("short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    const error = dialog.getByRole("alert");
    await error.waitFor();
    assert.match(await error.innerText(), /^Password: It must be at least 8 characters/);
    assert.equal(await dialog.getByLabel("Password", { exact: true }).getAttribute("aria-invalid"), "true");
    await dialog.getByLabel("Password", { exact: true }).fill("new-hire-password-1");
    await dialog.getByLabel("The email address is verified").check();
    await dialog.getByRole("button", { name: "Create user" }).click();
    await page.getByRole("heading", { name: "new.hire@example.com", level: 1 }).waitFor();
    await page.getByText("Created new.hire@example.com.").waitFor();
    const made = await server.ctx.storage.users.findByEmail("new.hire@example.com");
    assert.equal(made?.isVerified, true);
  });

  it("clears a lockout made by real failed sign-ins, and removes two-step verification", async () => {
    for (let i = 0; i < 6; i++) await submitLogin(server, new UserAgent(), EMAIL, "wrong-password");
    const s = server.ctx.storage;
    await s.totp.putPending({ userId, secret: "JBSWY3DPEHPK3PXP", createdAt: server.ctx.now(), confirmedAt: null, lastUsedStep: 0 });
    await s.totp.confirm(userId, "JBSWY3DPEHPK3PXP", server.ctx.now(), 1);
    await s.recoveryCodes.replace(userId, ["a", "b"], server.ctx.now());

    await page.goto(`${server.url}/portal#/users/${userId}`);
    const security = page.getByRole("region", { name: "Sign-in security" });
    await security.getByText("Locked", { exact: true }).waitFor();
    assert.match(await security.innerText(), /6 recent failed attempts/);
    assert.match(await security.innerText(), /Authenticator app\s+2 recovery codes left/);
    await security.getByRole("button", { name: "Clear lockout" }).click();
    await security.getByText("Not locked").waitFor();
    await page.getByText(`Lockout cleared. ${EMAIL} can sign in again.`).waitFor();
    assert.equal((await submitLogin(server, new UserAgent(), EMAIL, PASSWORD)).status, 303, "the password works again");

    await security.getByRole("button", { name: "Remove two-step verification" }).click();
    const dialog = page.getByRole("dialog");
    assert.match(await dialog.innerText(), /sessions are not signed out/);
    await dialog.getByRole("button", { name: "Remove" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Two-step verification removed.").waitFor();
    assert.equal(await s.totp.get(userId), null);
    assert.equal(await s.recoveryCodes.countUnused(userId), 0);
  });

  it("the audit log names users and keys, and filters by user and by event type", async () => {
    await page.goto(`${server.url}/portal#/audit`);
    await page.getByLabel("User", { exact: true }).fill(EMAIL.toUpperCase());
    await page.getByLabel("Event").selectOption({ label: "Wrong password" });
    await page.getByRole("button", { name: "Filter" }).click();
    const rows = page.locator("table.audit-table tbody tr");
    await page.waitForFunction(() => location.hash.includes("action=authentication.failed.primary.password"));
    await rows.nth(5).waitFor();
    assert.equal(await rows.count(), 6);
    for (const text of await rows.allInnerTexts()) {
      assert.match(text, /Wrong password/);
      assert.match(text, new RegExp(`${EMAIL.replace(/\./g, "\\.")}\\s+user\\s+${EMAIL.replace(/\./g, "\\.")}`), "about and by: the email");
    }
    await page.getByLabel("Event").selectOption({ label: "Two-step verification removed" });
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForFunction(() => location.hash.includes("action=authenticator.totp.removed"));
    await page.locator("table.audit-table tbody tr").first().getByText("portal", { exact: true }).waitFor();
    assert.doesNotMatch(await page.locator("table.audit-table").innerText(), /key:[0-9a-f]{32}/, "the key's name, not its id");

    await page.getByLabel("User", { exact: true }).fill("nobody@example.com");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByText("No user has the email or ID “nobody@example.com”.").waitFor();
  });

  it("shows a too-short token lifetime in words", async () => {
    await page.goto(`${server.url}/portal#/clients`);
    const card = page.getByRole("region", { name: "Test SPA" });
    await card.getByLabel("Refresh token lifetime (seconds)").fill("60");
    await card.getByRole("button", { name: "Save" }).click();
    const alert = card.getByRole("alert");
    await alert.waitFor();
    assert.equal(await alert.innerText(), "Not saved. Refresh token lifetime: At least 5 minutes.");
  });

  it("lists admin keys with their last use and revokes one: it fails its next request; revoking this tab's key signs out", async () => {
    const other = await createAdminKey(server.ctx, "old-ci");
    assert.equal(await apiStatus(other.key), 200);
    await page.goto(`${server.url}/portal#/keys`);
    const row = page.locator("table.keys-table tbody tr", { hasText: "old-ci" });
    await row.waitFor();
    assert.match(await row.innerText(), /Active/);
    assert.doesNotMatch(await row.innerText(), /Never/, "its use is shown");
    await row.getByRole("button", { name: "Revoke key old-ci" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await page.getByText("Revoked the key “old-ci”.").waitFor();
    await row.getByText("Revoked").waitFor();
    assert.equal(await apiStatus(other.key), 401);

    await page.getByRole("button", { name: "Revoke key portal" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await page.getByLabel("Admin API key").waitFor();
    assert.match(await page.locator(".signin-status").innerText(), /no longer accepted/);
    assert.deepEqual(pageErrors, []);
  });
});
