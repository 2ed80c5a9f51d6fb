// The operator portal in a real browser (Debian Chromium via playwright-core) against the real
// server: sign in with an admin key, find a user, disable/enable them, revoke sessions, change a
// client's token lifetime, read the audit log — and check that the tokens really die.
//
// UPDATE_SCREENSHOTS=1 also writes docs/screenshots/portal-*.png (1280x800).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { setup, loginWithPkce, exchange, EMAIL, SPA_CLIENT, type Fixture } from "../../packages/server/test/oauth/fixture.ts";
import { createAdminKey } from "../../packages/server/src/admin/keys.ts";
import { PORTAL_CSP } from "../../packages/portal/src/index.ts";

const CHROMIUM = "/usr/bin/chromium";
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";
const SCREENSHOT_DIR = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));

const FILLER_NAMES = [
  "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "laura", "mike", "nina", "oscar",
  "peggy", "quinn", "rupert", "sybil", "trent", "uma", "victor", "wendy", "xavier", "yara", "zoe", "aaron", "bella", "chris",
];
const DOMAINS = ["example.com", "example.org", "example.net"];

type Tokens = Awaited<ReturnType<typeof exchange>>;

describe("operator portal", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install -y chromium)` }, () => {
  let f: Fixture;
  let key: string;
  let profileDir: string;
  let context: BrowserContext;
  let page: Page;
  let first: Tokens;
  let second: Tokens;
  const pageErrors: string[] = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${f.server.url}/_api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const resolverValid = async (t: Tokens) =>
    (await fetch(`${f.server.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${t.access_token}` } })).headers.get("x-authgear-session-valid");
  const userinfoStatus = async (t: Tokens) =>
    (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${t.access_token}` } })).status;
  const sidOf = (t: Tokens): string => JSON.parse(Buffer.from(t.access_token.split(".")[1], "base64url").toString()).sid;
  const portal = (hash = "") => `${f.server.url}/portal${hash}`;

  async function screenshot(name: string): Promise<void> {
    if (!UPDATE_SCREENSHOTS) return;
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    // Let transitions and the spinner settle, and keep the caret out of the picture.
    await page.evaluate(() => document.fonts.ready);
    await page.mouse.move(0, 799);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `portal-${name}.png`), caret: "hide", animations: "disabled" });
  }

  /** Guards against a null/undefined slipping into the page as text. */
  async function assertNoStrayText(): Promise<void> {
    assert.doesNotMatch(await page.locator("main").innerText(), /\b(null|undefined|NaN|\[object Object\])\b/);
  }

  async function noHorizontalScroll(): Promise<{ scrollWidth: number; clientWidth: number }> {
    return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  }

  before(async () => {
    f = await setup();
    key = (await createAdminKey(f.server.ctx, "portal")).key;

    // A directory worth looking at: enough users for a second page, some roles, one disabled.
    for (let i = 0; i < FILLER_NAMES.length; i++) {
      const res = await api("POST", "/users", { email: `${FILLER_NAMES[i]}@${DOMAINS[i % 3]}`, password: "filler-password-1", verified: i % 4 !== 1 });
      assert.equal(res.status, 201);
      if (i === 2) await api("PATCH", `/users/${res.body.id}`, { roles: ["admin", "support"] });
      if (i === 5) await api("PATCH", `/users/${res.body.id}`, { roles: ["editor"] });
      if (i === 3) await api("POST", `/users/${res.body.id}/disable`, { reason: "Chargeback fraud" });
    }
    await api("PATCH", `/users/${f.userId}`, { roles: ["support"] });

    first = await exchange(f, await loginWithPkce(f));
    second = await exchange(f, await loginWithPkce(f));
    assert.equal(await userinfoStatus(first), 200);

    profileDir = mkdtempSync(join(tmpdir(), "gatehouse-portal-chromium-"));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(5000);
    page.on("pageerror", (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on("console", (msg) => {
      // 4xx answers from the API are logged by Chromium as "Failed to load resource"; those are expected here.
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) pageErrors.push(`console: ${msg.text()}`);
    });
  });

  after(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await f?.server.close();
  });

  it("serves the static app with a strict CSP, right types and an SPA fallback", async () => {
    const get = (path: string) => fetch(`${f.server.url}${path}`);
    for (const path of ["/portal", "/portal/", "/portal/users/deep/link"]) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/, path);
      assert.match(await res.text(), /<script type="module" src="\/portal\/app.js">/);
      assert.equal(res.headers.get("content-security-policy"), PORTAL_CSP);
      assert.equal(res.headers.get("x-frame-options"), "DENY");
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    }
    assert.equal(PORTAL_CSP, "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    assert.match((await get("/portal/app.js")).headers.get("content-type") ?? "", /^text\/javascript/);
    assert.match((await get("/portal/views/users.js")).headers.get("content-type") ?? "", /^text\/javascript/);
    assert.match((await get("/portal/style.css")).headers.get("content-type") ?? "", /^text\/css/);
    assert.equal((await get("/portal/favicon.svg")).headers.get("content-type"), "image/svg+xml");
    const missing = await get("/portal/nope.js");
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("x-content-type-options"), "nosniff");
    // Only files read at start-up are served: an encoded "../" is just an unknown name.
    assert.equal((await get("/portal/%2e%2e%2fpackage.json")).status, 404);
    assert.equal((await get("/portal/..%2f..%2fsrc%2findex.ts")).status, 404);
    const css = await get("/portal/style.css");
    const etag = css.headers.get("etag")!;
    assert.equal((await fetch(`${f.server.url}/portal/style.css`, { headers: { "if-none-match": etag } })).status, 304);
  });

  it("refuses a wrong key with the API's error and shows no data", async () => {
    await page.goto(portal());
    const keyInput = page.getByLabel("Admin API key");
    await keyInput.waitFor();
    await screenshot("signin");
    await keyInput.fill(`gha_${"0".repeat(32)}_${"x".repeat(43)}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /not accepted/);
    assert.match(await alert.innerText(), /admin API key/, "the problem detail is shown");
    assert.equal(await page.getByRole("navigation").count(), 0);
    assert.equal(await page.locator("table").count(), 0);
    assert.equal(await page.getByText(EMAIL).count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0);
  });

  it("signs in with the key (kept in sessionStorage), lists users with Load more, and searches", async () => {
    await page.getByLabel("Admin API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    assert.deepEqual(await page.evaluate(() => [Object.values(sessionStorage), localStorage.length]), [[key], 0]);

    const rows = page.locator("table.data-table tbody tr");
    await rows.nth(24).waitFor();
    assert.equal(await rows.count(), 25);
    await page.getByRole("button", { name: "Load more" }).click();
    await rows.nth(28).waitFor();
    assert.equal(await rows.count(), FILLER_NAMES.length + 1);
    assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot("users");

    // "/" jumps to the search box; typing searches after a short pause.
    await page.locator("body").click({ position: { x: 900, y: 20 } });
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("type")), "search");
    await page.keyboard.type("alice");
    await page.waitForFunction(() => document.querySelectorAll("table.data-table tbody tr").length === 1);
    assert.match(page.url(), /#\/users\?q=alice$/);
    assert.equal(await rows.first().getByRole("link").innerText(), EMAIL);

    // Searching by exact id works too.
    await page.getByLabel("Search users").fill(f.userId);
    await page.waitForFunction((id) => {
      const r = document.querySelectorAll("table.data-table tbody tr");
      return r.length === 1 && r[0].textContent!.includes(id);
    }, f.userId);
    await page.getByLabel("Search users").fill("no-such-user-anywhere");
    await page.getByText("No users match your search.").waitFor();
    await page.getByLabel("Search users").fill("alice");
    await page.getByRole("link", { name: EMAIL }).click();
    await page.getByRole("heading", { name: EMAIL, level: 1 }).waitFor();
    assert.match(page.url(), new RegExp(`#/users/${f.userId}$`));
    await page.locator(".sessions-table tbody tr").nth(3).waitFor();
    await screenshot("user");
  });

  it("disables the user with a reason (Escape cancels) and their access token dies at once", async () => {
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    assert.equal(await userinfoStatus(first), 200, "cancelled: nothing happened");
    assert.equal((await api("GET", `/users/${f.userId}`)).body.is_disabled, false);

    await page.getByRole("button", { name: "Disable", exact: true }).click();
    await dialog.getByLabel("Reason").fill('Chargeback <b>fraud</b> & "abuse"');
    await screenshot("disable-dialog");
    await dialog.getByRole("button", { name: "Disable user" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("User disabled.").waitFor();
    // The reason is shown as text, never parsed as HTML.
    await page.getByText('Reason: Chargeback <b>fraud</b> & "abuse"').waitFor();
    assert.equal(await page.locator("main b").count(), 0);
    await page.getByText("This user is disabled: these sessions are refused").waitFor();
    await assertNoStrayText();

    assert.equal(await resolverValid(first), "false");
    assert.equal(await userinfoStatus(first), 401);
    const user = (await api("GET", `/users/${f.userId}`)).body;
    assert.equal(user.is_disabled, true);
    assert.equal(user.disable_reason, 'Chargeback <b>fraud</b> & "abuse"');
  });

  it("enables the user again", async () => {
    await page.getByRole("button", { name: "Enable", exact: true }).click();
    await page.getByText("User enabled.").waitFor();
    await page.getByRole("button", { name: "Disable", exact: true }).waitFor();
    assert.equal((await api("GET", `/users/${f.userId}`)).body.is_disabled, false);
    assert.equal(await userinfoStatus(first), 200);
    assert.equal(await resolverValid(first), "true");
  });

  it("revokes one session from the sessions table; only that token dies", async () => {
    const sid = sidOf(first);
    const revoke = page.getByRole("button", { name: `Revoke session ${sid}` });
    await revoke.click();
    await revoke.waitFor({ state: "detached" });
    await page.getByText(/^Revoked /).waitFor();
    assert.equal(await userinfoStatus(first), 401);
    assert.equal(await resolverValid(first), "false");
    assert.equal(await userinfoStatus(second), 200);
  });

  it("sets a password, showing the API's validation error first", async () => {
    await page.getByRole("button", { name: "Set password" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("New password").fill("short");
    await dialog.getByRole("button", { name: "Set password" }).click();
    const alert = dialog.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /password/);
    await dialog.getByLabel("New password").fill("a-brand-new-password");
    await dialog.getByRole("button", { name: "Set password" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("Password changed.").waitFor();
  });

  it("revokes all sessions after a confirmation", async () => {
    await page.getByRole("button", { name: "Revoke all" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Revoke all" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText("No active sessions.").waitFor();
    assert.equal(await userinfoStatus(second), 401);
    assert.equal((await api("GET", `/users/${f.userId}/sessions`)).body.items.length, 0);
  });

  it("edits a client's access token lifetime, showing the API's validation error", async () => {
    await page.getByRole("link", { name: "Applications" }).click();
    const card = page.getByRole("region", { name: SPA_CLIENT.name });
    const lifetime = card.getByLabel("Access token lifetime (seconds)");
    const original = (await api("GET", `/clients/${SPA_CLIENT.client_id}`)).body.access_token_lifetime_seconds;
    assert.equal(await lifetime.inputValue(), String(original));
    assert.equal(await lifetime.getAttribute("min"), "300");
    assert.equal(await lifetime.getAttribute("type"), "number");
    await lifetime.fill("100");
    await card.getByRole("button", { name: "Save" }).click();
    const alert = card.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /Access token lifetime: At least 5 minutes\./, "the failure in words");
    assert.doesNotMatch(await alert.innerText(), /Too small|>=|body\./, "not the validator's text");
    assert.equal(await lifetime.getAttribute("aria-invalid"), "true");
    assert.equal((await api("GET", `/clients/${SPA_CLIENT.client_id}`)).body.access_token_lifetime_seconds, original, "nothing was saved");

    await lifetime.fill("900");
    await card.getByRole("button", { name: "Save" }).click();
    await card.getByText(/^Saved\./).waitFor();
    assert.equal((await api("GET", `/clients/${SPA_CLIENT.client_id}`)).body.access_token_lifetime_seconds, 900);
    assert.deepEqual(await f.server.ctx.storage.clientSettings.all(), { [SPA_CLIENT.client_id]: { access_token_lifetime_seconds: 900 } }, "only the changed field is sent");
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot("applications");
  });

  it("lists the actions in the audit log", async () => {
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByRole("heading", { name: "Audit log", level: 1 }).waitFor();
    const table = page.locator("table.audit-table");
    await table.waitFor();
    const text = await table.innerText();
    for (const action of ["client.update", "session.revoke_all", "user.set_password", "session.revoke", "user.enable", "user.disable"]) {
      assert.ok(text.includes(action), action);
    }
    assert.match(text, /access_token_lifetime_seconds\s*900/);
    // Newest first.
    assert.match(await table.locator("tbody tr").first().innerText(), /client\.update/);
    await screenshot("audit");

    // The user page links to the log filtered to that user.
    await page.goto(portal(`#/audit?user=${f.userId}`));
    await page.getByRole("link", { name: "Show all" }).waitFor();
    await table.waitFor();
    assert.equal(await page.getByLabel("User", { exact: true }).inputValue(), EMAIL);
    assert.doesNotMatch(await table.innerText(), /client\.update/);
  });

  it("deletes a user only after their email is typed", async () => {
    const victim = (await api("GET", "/users?query=frank@")).body.items[0];
    await page.goto(portal(`#/users/${victim.id}`));
    await page.getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog");
    const confirm = dialog.getByRole("button", { name: "Delete user" });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel(`Type ${victim.email} to confirm`).fill("frank");
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel(`Type ${victim.email} to confirm`).fill(victim.email);
    await confirm.click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.getByText(`Deleted ${victim.email}.`).waitFor();
    assert.equal((await api("GET", `/users/${victim.id}`)).status, 404);
  });

  it("has no horizontal scroll at 375px wide", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    const pages: [string, string][] = [
      ["#/clients", "Applications"], ["#/audit", "Audit log"], ["#/keys", "Admin keys"], [`#/users/${f.userId}`, EMAIL], ["#/users", "Users"],
    ];
    for (const [hash, heading] of pages) {
      await page.goto(portal(hash));
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await page.locator(".loading").waitFor({ state: "detached" });
      await assertNoStrayText();
      const { scrollWidth, clientWidth } = await noHorizontalScroll();
      assert.ok(scrollWidth <= clientWidth, `${hash}: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`);
      if (hash === "#/users") await screenshot("mobile-users");
    }
    // Open dialogs fit too.
    await page.goto(portal(`#/users/${f.userId}`));
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    await page.getByRole("dialog").waitFor();
    const box = await page.getByRole("dialog").boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375);
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("signs out, forgetting the key", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin API key").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await page.getByLabel("Admin API key").waitFor();
    assert.equal(await page.locator("table").count(), 0);
  });

  it("ran without script errors or CSP violations", () => {
    assert.deepEqual(pageErrors, []);
  });
});
