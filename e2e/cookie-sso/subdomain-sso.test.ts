// Cookie-based SSO across subdomains in real Chromium (DESIGN.md, "Two integration styles", 2;
// "Cookies"): Gatehouse at identity.example.test sets `session` with Domain=example.test, so the
// server-rendered apps at app1.example.test and app2.example.test — which ask the resolver with the
// browser's cookies — share one sign-in, and one sign-out ends it for both.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { launchChromium, type Browser } from "../support/browser.ts";
import { startWebApp, type WebApp } from "./web-app.ts";
import { revokeAllForUser } from "../../packages/server/src/session/revocation.ts";

const EMAIL = "sso-user@example.com";
const PASSWORD = "correct horse battery staple";
const CLIENT_ID = "sso-web";

describe("cookie SSO across subdomains (Chromium)", () => {
  let gatehouse: TestServer;
  let app1: WebApp;
  let app2: WebApp;
  let browser: Browser;
  let page: Page;
  let userId: string;
  /** Every URL the browser requested as a top-level navigation (redirect hops included), in order. */
  const navigations: string[] = [];

  before(async () => {
    app1 = await startWebApp({ host: "app1.example.test", name: "App One", clientId: CLIENT_ID });
    app2 = await startWebApp({ host: "app2.example.test", name: "App Two", clientId: CLIENT_ID });
    gatehouse = await startTestServer({
      host: "identity.example.test",
      clients: [{
        client_id: CLIENT_ID,
        name: "Example apps",
        x_application_type: "traditional_webapp",
        redirect_uris: [app1.callbackUrl, app2.callbackUrl],
        post_logout_redirect_uris: [app1.homeUrl, app2.homeUrl],
      }],
    });
    const port = Number(new URL(gatehouse.url).port);
    app1.useGatehouse(gatehouse.url, port);
    app2.useGatehouse(gatehouse.url, port);
    userId = await gatehouse.createUser(EMAIL, PASSWORD);
    browser = await launchChromium({ args: ["--host-resolver-rules=MAP *.example.test 127.0.0.1"] });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    page.on("request", (request) => { if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations.push(request.url()); });
  });

  after(async () => {
    await browser?.close();
    await gatehouse?.close();
    await app1?.close();
    await app2?.close();
  });

  const status = () => page.locator("#status").textContent();

  async function sessionCookies() {
    return (await browser.context.cookies()).filter((c) => c.name === "session");
  }

  it("signs in on app1, is signed in on app2 without a login form, and signs out of both from app2", async () => {
    assert.equal(new URL(gatehouse.url).hostname, "identity.example.test");

    // 1. app1: not signed in yet.
    await page.goto(app1.homeUrl);
    assert.equal(await status(), "Not signed in");

    // 2. Sign in → Gatehouse's login page on identity.example.test.
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/login");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();

    // 3. Back on app1 (authorize → callback with only state → home), signed in.
    await page.waitForURL(app1.homeUrl);
    assert.equal(await status(), `Signed in as ${userId}`);
    const callback = navigations.map((u) => new URL(u)).find((u) => u.origin === app1.origin && u.pathname === "/callback");
    assert.ok(callback, `app1's callback was visited: ${navigations.join(" → ")}`);
    assert.deepEqual([...callback.searchParams.keys()].sort(), ["iss", "state"], "response_type=none returns only state (and iss)");

    // The shared cookie: parent domain, HttpOnly, SameSite=Lax, not host-only to identity.
    const cookies = await sessionCookies();
    assert.equal(cookies.length, 1, JSON.stringify(cookies));
    const [session] = cookies;
    assert.equal(session.domain, ".example.test");
    assert.equal(session.path, "/");
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Lax");
    assert.equal(session.secure, false, "plain http in this test; Secure is set on https origins");
    assert.ok(session.expires > Date.now() / 1000 + 86400, "a persistent cookie");

    // 4. app2: already signed in, no trip to Gatehouse at all.
    const before = navigations.length;
    await page.goto(app2.homeUrl);
    assert.equal(await status(), `Signed in as ${userId}`);
    assert.ok(navigations.slice(before).every((u) => new URL(u).origin === app2.origin), `no login form: ${navigations.slice(before).join(" → ")}`);

    // 5. Sign out from app2 → end_session → back on app2, signed out.
    await page.getByRole("link", { name: "Sign out" }).click();
    await page.waitForURL(app2.homeUrl);
    assert.equal(await status(), "Not signed in");
    assert.deepEqual(await sessionCookies(), [], "end_session cleared the shared cookie");

    // 6. app1 is signed out too.
    await page.goto(app1.homeUrl);
    assert.equal(await status(), "Not signed in");
  });

  it("a session revoked server-side signs both apps out, and the resolver's Set-Cookie removes the dead cookie", async () => {
    await browser.context.clearCookies();
    await page.goto(app1.homeUrl);
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(app1.homeUrl);
    assert.equal(await status(), `Signed in as ${userId}`);
    assert.equal((await sessionCookies()).length, 1);

    // As an administrator would (portal: "sign out everywhere"); the browser still holds the cookie.
    await revokeAllForUser(gatehouse.ctx, userId);
    assert.equal((await sessionCookies()).length, 1);

    await page.goto(app2.homeUrl);
    assert.equal(await status(), "Not signed in");
    // The resolver's clearing Set-Cookie (forwarded by app2) matched Domain=example.test.
    assert.deepEqual(await sessionCookies(), []);
    await page.goto(app1.homeUrl);
    assert.equal(await status(), "Not signed in");
  });
});
