// Authgear's official browser SDK, @authgear/web (unmodified IIFE bundle), in real Chromium:
// authenticateAnonymously() in both session types (refresh-token: a SPA on another origin; cookie:
// a first-party SPA on a sibling subdomain sharing the `session` cookie), then
// startPromoteAnonymousUser() through Gatehouse's sign-up page, keeping the user's `sub`.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { launchChromium, type Browser } from "../support/browser.ts";
import { startAppServer, type AppServer, type AppHelpers, type SessionType } from "../sdk-web/app-server.ts";

declare global {
  interface Window { app: AppHelpers; authgear: { default: any } }
}

const PASSWORD = "correct horse battery staple";

for (const sessionType of ["refresh_token", "cookie"] as SessionType[]) {
  describe(`@authgear/web anonymous users, ${sessionType} mode (Chromium)`, () => {
    let app: AppServer;
    let gatehouse: TestServer;
    let browser: Browser;
    let page: Page;
    const browserLog: string[] = [];

    before(async () => {
      const cookie = sessionType === "cookie";
      app = await startAppServer({ sessionType, host: cookie ? "app.example.test" : "localhost" });
      gatehouse = await startTestServer({
        host: cookie ? "identity.example.test" : "127.0.0.1",
        clients: [app.client],
        config: { authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 }, identities: ["login_id", "oauth", "anonymous"] } },
      });
      app.useGatehouse(gatehouse.url);
      browser = await launchChromium({ args: cookie ? ["--host-resolver-rules=MAP *.example.test 127.0.0.1"] : [] });
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

    it("authenticateAnonymously, then promotion through the sign-up page keeps the sub", async () => {
      try {
        await page.goto(`${app.origin}/`);
        await page.waitForFunction(() => typeof window.app === "object");
        assert.equal(await page.evaluate(() => window.app.configure()), sessionType === "cookie" ? "UNKNOWN" : "NO_SESSION");
        const anon = await page.evaluate(async () => {
          const r = await window.authgear.default.authenticateAnonymously();
          return { sub: r.userInfo.sub as string, isAnonymous: r.userInfo.isAnonymous as boolean, state: window.authgear.default.sessionState as string };
        });
        assert.equal(anon.isAnonymous, true);
        // Cookie mode keeps no tokens: the SDK cannot tell its state, the shared cookie is the session.
        if (sessionType === "refresh_token") assert.equal(anon.state, "AUTHENTICATED");
        const user = await gatehouse.ctx.storage.users.get(anon.sub);
        assert.equal(user?.isAnonymous, true);
        // Signing up again continues the same anonymous user (refresh token, or the session cookie).
        const again = await page.evaluate(async () => (await window.authgear.default.authenticateAnonymously()).userInfo.sub as string);
        assert.equal(again, anon.sub);

        // Promotion: the SDK gets a promotion code and opens the authorize endpoint with it.
        await page.evaluate((redirectURI) => { void window.authgear.default.startPromoteAnonymousUser({ redirectURI }); }, app.redirectURI);
        await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/signup");
        await page.fill('input[name="email"]', `promoted-${sessionType}@example.com`);
        await page.fill('input[name="password"]', PASSWORD);
        await page.click('button[type="submit"]');
        await page.waitForURL((u) => u.pathname === "/verify");
        await page.getByRole("button", { name: /skip/i }).click();
        await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/callback");
        await page.waitForFunction(() => typeof window.app === "object");
        await page.evaluate(() => window.app.configure());
        const finished = await page.evaluate(async () => {
          const r = await window.authgear.default.finishAuthentication();
          return { sub: r.userInfo.sub as string, isAnonymous: r.userInfo.isAnonymous as boolean, email: r.userInfo.email as string };
        });
        assert.equal(finished.sub, anon.sub, "promotion keeps the sub");
        assert.equal(finished.isAnonymous, false);
        assert.equal(finished.email, `promoted-${sessionType}@example.com`);
        assert.equal((await gatehouse.ctx.storage.users.get(anon.sub))?.isAnonymous, false);
      } catch (e) {
        if (e instanceof Error && browserLog.length > 0) e.message += `\nbrowser log:\n${browserLog.join("\n")}`;
        throw e;
      }
    });
  });
}
