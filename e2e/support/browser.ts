// Debian's Chromium through playwright-core, with the flags this closed network needs and a fresh
// profile directory per launch (removed again by close()).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(options: { args?: string[]; viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "gatehouse-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The browser's first page, with a 10 s default timeout, reporting script errors and console errors
 * into `problems` (a test asserts it stays empty). 4xx statuses are expected on error pages, so the
 * console's "failed to load … status of 4xx" lines are not problems.
 */
export async function watchedPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10000);
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => { if (msg.type() === "error" && !msg.text().includes("status of 4")) problems.push(`console: ${msg.text()}`); });
  return page;
}
