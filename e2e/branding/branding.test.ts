// How Chromium draws the hosted pages: the dark theme when the app asks (x_color_scheme=dark) and,
// in auto, when the browser prefers dark; Arabic laid out right to left; the configured primary
// colour, custom CSS and logo applied under the unchanged CSP; no request answered 404 (favicon).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import type { Page } from "playwright-core";
import { CHROMIUM, launchChromium, type Browser } from "../support/browser.ts";
import { seriousViolations } from "../support/axe.ts";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { authorizeUrl, brandFiles } from "../../packages/server/test/authui/ui-fixture.ts";

const DARK_BG = "rgb(15, 20, 34)"; // theme.ts DARK.bg
const LIGHT_BG = "rgb(244, 245, 247)"; // theme.ts LIGHT.bg
const BRAND = "rgb(10, 125, 80)"; // ui.primary_color #0a7d50, and the custom CSS's border

describe("hosted pages in Chromium: colour scheme, right to left, branding", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed` }, () => {
  let s: TestServer;
  let files: ReturnType<typeof brandFiles>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const bodyBackground = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  before(async () => {
    files = brandFiles();
    s = await startTestServer({ config: { ui: { app_name: "Acme", logo_file: files.logo, custom_css_file: files.css, primary_color: "#0a7d50" } } });
    browser = await launchChromium({ viewport: { width: 800, height: 700 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10000);
    // A form sent empty on purpose answers 400 (and Chromium logs it); anything else failing is a problem.
    page.on("console", (msg) => { if (msg.type() === "error" && !msg.text().includes("status of 400")) problems.push(`console: ${msg.text()}`); });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("response", (res) => { if (res.status() >= 400 && res.request().method() === "GET") problems.push(`${res.status()} ${res.url()}`); });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    if (files) rmSync(files.dir, { recursive: true, force: true });
  });

  it("x_color_scheme=dark from the app draws the dark theme, whatever the browser prefers", async () => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(authorizeUrl(s.url, { x_color_scheme: "dark" }));
    await page.getByRole("heading", { name: "Sign in to Test SPA" }).waitFor();
    assert.equal(await bodyBackground(), DARK_BG);
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), "dark");
    // The next app request that says light wins over the remembered dark.
    await page.goto(authorizeUrl(s.url, { x_color_scheme: "light" }));
    assert.equal(await bodyBackground(), LIGHT_BG);
  });

  it("auto follows the browser's prefers-color-scheme", async () => {
    await page.goto(authorizeUrl(s.url, { x_color_scheme: "auto" }));
    await page.emulateMedia({ colorScheme: "dark" });
    assert.equal(await bodyBackground(), DARK_BG);
    await page.emulateMedia({ colorScheme: "light" });
    assert.equal(await bodyBackground(), LIGHT_BG);
  });

  it("Arabic is laid out right to left: text starts on the right, the row of links is mirrored", async () => {
    await page.goto(authorizeUrl(s.url, { ui_locales: "ar" }));
    await page.getByRole("heading", { name: "تسجيل الدخول إلى Test SPA" }).waitFor();
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), "rtl");
    const card = (await page.locator("main").boundingBox())!;
    const heading = (await page.locator("h1").boundingBox())!;
    const headingText = await page.locator("h1").evaluate((h) => { const r = document.createRange(); r.selectNodeContents(h); return r.getBoundingClientRect().right; });
    assert.ok(card.x + card.width - headingText < 40, `heading text ends at the card's right edge (${headingText} vs ${card.x + card.width})`);
    assert.ok(heading.width > 0);
    const forgot = (await page.getByRole("link", { name: "هل نسيت كلمة المرور؟" }).boundingBox())!;
    const create = (await page.getByRole("link", { name: "أنشئ حسابًا" }).boundingBox())!;
    assert.ok(forgot.x > create.x, "the first link of the row is on the right");
    // The same page in English puts it on the left.
    await page.goto(authorizeUrl(s.url, { ui_locales: "en" }));
    const forgotEn = (await page.getByRole("link", { name: "Forgot your password?" }).boundingBox())!;
    const createEn = (await page.getByRole("link", { name: "Create one" }).boundingBox())!;
    assert.ok(forgotEn.x < createEn.x);
  });

  it("applies the configured primary colour, custom CSS, logo and app name", async () => {
    await page.goto(`${s.url}/login`);
    const styles = await page.evaluate(() => ({
      button: getComputedStyle(document.querySelector("button[type=submit]")!).backgroundColor,
      border: getComputedStyle(document.querySelector("main")!).borderTopColor,
      link: getComputedStyle(document.querySelector(".links a")!).color,
      logo: (document.querySelector("img.brand-logo") as HTMLImageElement).naturalWidth,
    }));
    assert.deepEqual(styles, { button: BRAND, border: BRAND, link: BRAND, logo: 1 });
    assert.equal(await page.title(), "Sign in · Acme");
    assert.equal(await page.locator(".brand-name").innerText(), "Acme");
  });

  it("dark and right-to-left pages pass axe too (contrast of the dark palette and the brand colour included)", async () => {
    for (const scheme of ["dark", "light"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of ["/login?ui_locales=ar", "/signup?ui_locales=ja", "/forgot?ui_locales=de", "/login?ui_locales=en"]) {
        await page.goto(`${s.url}${path}`);
        // An error box and the policy list, so their colours are checked as well.
        if (path.startsWith("/signup")) await page.locator("button[type=submit]").click();
        assert.deepEqual(await seriousViolations(page), [], `${path} (${scheme})`);
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("the settings page passes axe in dark mode, in Arabic and Japanese", async () => {
    await s.createUser("noor@example.com", "noors long password 1");
    await page.goto(`${s.url}/login`);
    await page.locator("#email").fill("noor@example.com");
    await page.locator("#password").fill("noors long password 1");
    await Promise.all([page.waitForURL((u) => new URL(u).pathname !== "/login"), page.locator("button[type=submit]").click()]);
    await page.emulateMedia({ colorScheme: "dark" });
    for (const lang of ["ar", "ja"]) {
      await page.goto(`${s.url}/settings?ui_locales=${lang}`);
      await page.locator("details summary").first().click(); // the password form, opened
      assert.equal(await bodyBackground(), DARK_BG);
      assert.deepEqual(await seriousViolations(page), [], `settings (${lang}, dark)`);
    }
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("the favicon the pages link answers 200, and nothing on these pages failed or broke the CSP", async () => {
    const icon = await page.context().request.get(`${s.url}${await page.locator("link[rel=icon]").getAttribute("href")}`);
    assert.equal(icon.status(), 200);
    assert.deepEqual(problems, []);
  });
});
