// The README's quick start, as a user would live it: `gatehouse start --demo` in an empty folder,
// open the demo app on a phone-sized screen, create an account on our sign-up page, find the
// verification code through the outbox link, come back signed in; the CLI commands the README
// gives for the demo work; the SDK's SSO-off login leaves no browser session and signing out ends it.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../packages/server/test/support/server.ts";
import { launchChromium, type Browser } from "../support/browser.ts";

const BIN = new URL("../../bin/gatehouse.mjs", import.meta.url).pathname;
const EMAIL = "demo@example.com";

describe("quick start demo", () => {
  let dir: string;
  let port: number;
  let server: ChildProcess;
  let browser: Browser;
  let adminKey = "";

  /** A CLI command exactly as the README writes it for the demo (`npx gatehouse …` runs this bin). */
  const cli = async (...args: string[]): Promise<string> => (await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: dir })).stdout;
  const admin = async (path: string): Promise<{ items: Record<string, unknown>[] }> => {
    const res = await fetch(`http://localhost:${port}/_api/admin${path}`, { headers: { authorization: `Bearer ${adminKey}` } });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { items: Record<string, unknown>[] };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-demo-"));
    port = await freePort();
    server = spawn(process.execPath, [BIN, "start", "--demo", "--port", String(port)], { cwd: dir, stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await launchChromium({ viewport: { width: 375, height: 740 } });
  });
  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs up through the demo app with Authgear's SDK, the code read from the linked outbox", async () => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10000);
    await page.goto(`http://localhost:${port}/demo/`);
    await page.getByText("Signed out.").waitFor();
    await page.getByRole("button", { name: "Sign in with Gatehouse" }).click();
    await page.waitForURL(/\/login\?flow=/);
    await page.getByRole("link", { name: "Create one" }).click();
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password", { exact: true }).fill("a-long-demo-password");
    await page.getByRole("button", { name: "Create account" }).click();
    // No SMTP in the demo: the "check your email" page says where the code went.
    const [outbox] = await Promise.all([browser.context.waitForEvent("page"), page.getByRole("link", { name: /read the code in the outbox/ }).click()]);
    await outbox.getByRole("heading", { name: "Outbox" }).waitFor();
    const code = /\b(\d{6}) is your verification code/.exec(await outbox.locator("main").innerText())?.[1];
    assert.ok(code, "the verification email is on the outbox page");
    await outbox.close();
    await page.getByLabel("6-digit code").fill(code);
    await page.getByRole("button", { name: "Verify email" }).click();
    await page.getByText(`Signed in as ${EMAIL}`).waitFor();
    assert.match(await page.locator("#claims").textContent() ?? "", /"email_verified": true/);

    // The signed-in view fits a 375 px screen: nothing scrolls sideways.
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `the page is ${widths.scroll}px wide on a ${widths.client}px screen`);
    assert.equal(await page.getByRole("link", { name: "Account settings" }).getAttribute("href"), "/settings");
  });

  it("runs the README's demo commands: the outbox in the terminal and an admin key", async () => {
    assert.match(await cli("outbox", "--demo"), new RegExp(`To: ${EMAIL}[\\s\\S]*is your verification code`));
    adminKey = (await cli("admin-keys", "create", "--demo")).trim();
    const users = await admin(`/users?query=${encodeURIComponent(EMAIL)}`);
    assert.equal(users.items.length, 1);
  });

  it("leaves no ghost browser session, and signing out of the app ends the login", async () => {
    const [user] = (await admin(`/users?query=${encodeURIComponent(EMAIL)}`)).items;
    const sessions = await admin(`/users/${user.id}/sessions`);
    assert.deepEqual(sessions.items.map((s) => [s.type, s.client_id]), [["offline_grant", "demo-spa"]], "only the app holds the login");
    const page = browser.context.pages()[0];
    assert.equal((await browser.context.cookies()).some((c) => c.name === "session"), false, "SSO off: no session cookie");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("Signed out.").waitFor();
    assert.deepEqual((await admin(`/users/${user.id}/sessions`)).items, [], "nothing of the login is left");
  });

  it("reaches /settings from the demo: Gatehouse's sign-in, then the account page", async () => {
    const page = browser.context.pages()[0];
    await page.getByRole("link", { name: "Account settings" }).click();
    await page.waitForURL(/\/login$/);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password", { exact: true }).fill("a-long-demo-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("link", { name: "Account settings" }).click();
    await page.getByRole("heading", { name: "Your account" }).waitFor();
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(widths.scroll <= widths.client, `settings is ${widths.scroll}px wide on a ${widths.client}px screen`);
  });
});
