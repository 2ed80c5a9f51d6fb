// Takes docs/screenshots/i18n-*.png: the login, sign-up and settings pages in English, Japanese and
// Arabic, light and dark, from a real server in headless Chromium. Run: npm run screenshots.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../support/browser.ts";
import { startTestServer } from "../../packages/server/test/support/server.ts";

const OUT = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const LANGUAGES = ["en", "ja", "ar"];
const SCHEMES = ["light", "dark"] as const;
const PASSWORD = "mikas long password 1";

const server = await startTestServer({ config: { ui: { app_name: "Gatehouse demo" } } });
const browser = await launchChromium({ viewport: { width: 720, height: 760 } });
try {
  mkdirSync(OUT, { recursive: true });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10000);
  const written: string[] = [];
  const shot = async (name: string): Promise<void> => {
    await page.mouse.move(0, 0);
    const path = join(OUT, `i18n-${name}.png`);
    await page.screenshot({ path, caret: "hide", animations: "disabled", fullPage: true });
    written.push(path);
  };

  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const lang of LANGUAGES) {
      const suffix = scheme === "dark" ? `${lang}-dark` : lang;
      // A user per picture: its settings page lists one session, this one.
      const email = `mika.${suffix}@example.com`;
      await server.createUser(email, PASSWORD);
      await page.context().clearCookies();
      await page.goto(`${server.url}/login?ui_locales=${lang}`);
      await shot(`login-${suffix}`);
      await page.goto(`${server.url}/signup?ui_locales=${lang}`);
      await shot(`signup-${suffix}`);
      await page.goto(`${server.url}/login?ui_locales=${lang}`);
      await page.locator("#email").fill(email);
      await page.locator("#password").fill(PASSWORD);
      await Promise.all([page.waitForURL((u) => new URL(u).pathname !== "/login"), page.locator("button[type=submit]").click()]);
      await page.goto(`${server.url}/settings?ui_locales=${lang}`);
      await shot(`settings-${suffix}`);
    }
  }
  console.log(written.map((p) => `wrote ${p}`).join("\n"));
} finally {
  await browser.close();
  await server.close();
}
