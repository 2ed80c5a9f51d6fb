// Authgear's official browser SDK, @authgear/web (unmodified IIFE bundle), against Gatehouse in
// real Chromium: a third-party SPA on another origin signs in through Gatehouse's login page,
// calls its own backend with the SDK's access token (verified locally with JWKS), refreshes when
// the token expires, restores the session after a reload, reads userinfo and logs out, after
// which the revoked refresh token is dead at the token endpoint.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { Page, Request } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { launchChromium, type Browser } from "../support/browser.ts";
import { startAppServer, CLIENT_ID, type AppServer, type AppHelpers } from "./app-server.ts";

declare global {
  interface Window { app: AppHelpers }
}

const EMAIL = "sdk-user@example.com";
const PASSWORD = "correct horse battery staple";

describe("@authgear/web SDK against Gatehouse", () => {
  let app: AppServer;
  let gatehouse: TestServer;
  let browser: Browser;
  let page: Page;
  let userId: string;
  /** Every token-endpoint POST the browser made, in order. */
  const tokenRequests: { grantType: string | null; request: Request }[] = [];
  /** Browser console errors and uncaught page errors, appended to a failure's message. */
  const browserLog: string[] = [];
  const refreshes = () => tokenRequests.filter((r) => r.grantType === "refresh_token").length;

  before(async () => {
    app = await startAppServer();
    gatehouse = await startTestServer({ clients: [app.client] });
    app.useGatehouse(gatehouse.url);
    userId = await gatehouse.createUser(EMAIL, PASSWORD);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    // A controllable browser clock (it runs normally until fast-forwarded).
    await page.clock.install();
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") browserLog.push(`[console.${m.type()}] ${m.text()}`); });
    page.on("pageerror", (e) => browserLog.push(`[pageerror] ${e.message}`));
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url() === `${gatehouse.url}/oauth2/token`) {
        tokenRequests.push({ grantType: new URLSearchParams(request.postData() ?? "").get("grant_type"), request });
      }
    });
  });

  after(async () => {
    await browser?.close();
    await gatehouse?.close();
    await app?.close();
  });

  const appLoaded = () => page.waitForFunction(() => typeof window.app === "object");

  it("signs in, calls the app backend, refreshes, restores after reload, reads userinfo and logs out", async () => {
    try {
      await flow();
    } catch (e) {
      if (e instanceof Error && browserLog.length > 0) e.message += `\nbrowser log:\n${browserLog.join("\n")}`;
      throw e;
    }
  });

  async function flow(): Promise<void> {
    assert.notEqual(new URL(app.origin).origin, new URL(gatehouse.url).origin, "the app and Gatehouse are different origins");

    // 1. Configure with no stored session, then start authentication: the SDK redirects to Gatehouse.
    await page.goto(`${app.origin}/`);
    await appLoaded();
    assert.equal(await page.evaluate(() => window.app.configure()), "NO_SESSION");
    const authorizeRequest = page.waitForRequest((r) => r.url().startsWith(`${gatehouse.url}/oauth2/authorize?`));
    await page.evaluate(() => { void window.app.start("sdk-e2e-state"); });
    const authorize = new URL((await authorizeRequest).url());
    assert.equal(authorize.searchParams.get("client_id"), CLIENT_ID);
    assert.equal(authorize.searchParams.get("redirect_uri"), app.redirectURI);
    assert.equal(authorize.searchParams.get("response_type"), "code");
    assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
    assert.deepEqual(authorize.searchParams.get("scope")?.split(" ").sort(), ["https://authgear.com/scopes/full-access", "offline_access", "openid"]);
    assert.equal(authorize.searchParams.get("x_sso_enabled"), "false");

    // 2. Gatehouse's own login page, driven through its accessible labels.
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/login");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/callback");
    const callback = new URL(page.url());
    assert.ok(callback.searchParams.get("code"));
    assert.equal(callback.searchParams.get("state"), "sdk-e2e-state");
    assert.equal(callback.searchParams.get("iss"), gatehouse.url);
    // x_sso_enabled=false: the login leaves no shared IdP session cookie behind.
    assert.deepEqual((await browser.context.cookies(gatehouse.url)).map((c) => c.name).filter((n) => n === "session"), []);

    // 3. Back on the app: finishAuthentication exchanges the code (cross-origin, credentialed CORS).
    await appLoaded();
    await page.evaluate(() => window.app.configure());
    const finished = await page.evaluate(() => window.app.finish());
    assert.deepEqual(finished, { state: "sdk-e2e-state", sessionState: "AUTHENTICATED", sub: userId, email: EMAIL });
    assert.deepEqual(tokenRequests.map((r) => r.grantType), ["authorization_code"]);
    assert.equal((await tokenRequests[0].request.allHeaders())["origin"], app.origin, "the token request is a real cross-origin request");
    const codeResponse = await tokenRequests[0].request.response();
    assert.equal(codeResponse?.status(), 200);
    assert.equal(codeResponse?.headers()["access-control-allow-origin"], app.origin);
    assert.equal(codeResponse?.headers()["access-control-allow-credentials"], "true");
    const firstRefreshToken = await page.evaluate(() => window.app.storedRefreshToken());
    assert.ok(firstRefreshToken, "the SDK stored the refresh token");

    // 4. The app's backend accepts the SDK's access token, verified locally against Gatehouse's JWKS.
    const me = await page.evaluate(() => window.app.me());
    assert.deepEqual(me, { status: 200, body: { sub: userId, client_id: CLIENT_ID } });
    assert.equal(app.verified.length, 1);
    assert.equal(refreshes(), 0, "a fresh access token is not refreshed");

    // 5. Once the access token has expired (in the browser's clock), authgear.fetch refreshes first.
    await page.clock.fastForward("31:00");
    const refreshed = page.waitForResponse((r) => r.url() === `${gatehouse.url}/oauth2/token` && r.request().postData()?.includes("grant_type=refresh_token") === true);
    const meAfterExpiry = await page.evaluate(() => window.app.me());
    assert.equal((await refreshed).status(), 200);
    assert.deepEqual(meAfterExpiry, { status: 200, body: { sub: userId, client_id: CLIENT_ID } });
    assert.equal(refreshes(), 1);
    assert.equal(app.verified.length, 2);
    assert.notEqual(app.verified[1].token, app.verified[0].token, "the backend saw a new access token");
    assert.equal(app.verified[1].sid, app.verified[0].sid, "same session");
    await page.evaluate(() => window.app.refreshIfNeeded());
    assert.equal(refreshes(), 1, "a just-refreshed token is not refreshed again");

    // 6. Reload: configure() restores the session from localStorage without any network call, and the
    //    first call that needs an access token refreshes it.
    await page.reload();
    await appLoaded();
    const requestsSoFar = tokenRequests.length;
    assert.equal(await page.evaluate(() => window.app.configure()), "AUTHENTICATED");
    assert.equal(tokenRequests.length, requestsSoFar, "configure() does no network IO");
    const restoredRefresh = page.waitForResponse((r) => r.url() === `${gatehouse.url}/oauth2/token` && r.request().postData()?.includes("grant_type=refresh_token") === true);
    const info = await page.evaluate(() => window.app.userInfo());
    assert.equal((await restoredRefresh).status(), 200);
    assert.equal(refreshes(), 2);
    assert.deepEqual(info, { sub: userId, email: EMAIL, emailVerified: true, isVerified: true, isAnonymous: false });
    assert.equal((await page.evaluate(() => window.app.me())).body.sub, userId);
    assert.equal(refreshes(), 2);
    const lastAccessToken = app.verified.at(-1)!.token;

    // 7. logout() with the refresh_token session type revokes the refresh token and clears storage.
    const refreshToken = await page.evaluate(() => window.app.storedRefreshToken());
    assert.ok(refreshToken);
    const revoke = page.waitForResponse((r) => r.url() === `${gatehouse.url}/oauth2/revoke`);
    assert.equal(await page.evaluate(() => window.app.logout()), "NO_SESSION");
    const revokeResponse = await revoke;
    assert.equal(revokeResponse.status(), 200);
    assert.equal(new URLSearchParams(revokeResponse.request().postData() ?? "").get("token"), refreshToken);
    assert.equal(await page.evaluate(() => window.app.storedRefreshToken()), null);
    assert.equal(page.url(), `${app.origin}/`, "refresh_token logout does not navigate");
    assert.equal(await page.evaluate(() => window.app.configure()), "NO_SESSION");
    assert.equal((await page.evaluate(() => window.app.me())).status, 401, "no token once logged out");

    // 8. The revoked refresh token (and the grant's earlier one) is rejected at the token endpoint,
    //    and the grant's access token is dead at userinfo.
    for (const token of new Set([refreshToken, firstRefreshToken])) {
      const res = await fetch(`${gatehouse.url}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: token }),
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, "invalid_grant");
    }
    const userinfo = await fetch(`${gatehouse.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${lastAccessToken}` } });
    assert.equal(userinfo.status, 401);
  }
});
