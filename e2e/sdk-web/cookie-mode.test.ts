// Authgear's official browser SDK, @authgear/web (unmodified IIFE bundle), in cookie mode
// (sessionType: "cookie") against Gatehouse in real Chromium. Cookie mode is for first-party apps
// on a sibling subdomain: Gatehouse at identity.example.test, the SPA at app.example.test. The SDK
// signs in with response_type=none (no code, no tokens: the shared `session` cookie on
// Domain=example.test is the session), reads userinfo with that cookie over credentialed CORS, and
// logs out by navigating to end_session. That navigation is same-site, so Gatehouse's logout-CSRF
// guard must end the session at once; the same URL opened from a page on another site must ask.
// Twice: over plain http Chromium sends no Fetch Metadata (not a secure context), so the guard
// decides by Referer/Origin; with the three origins treated as secure (as over https in
// production) it decides by Sec-Fetch-Site.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, Request, Response } from "playwright-core";
import { startTestServer, type TestServer } from "../../packages/server/test/support/server.ts";
import { launchChromium, type Browser } from "../support/browser.ts";
import { startAppServer, CLIENT_ID, type AppServer, type AppHelpers } from "./app-server.ts";

declare global {
  interface Window { app: AppHelpers }
}

const EMAIL = "sdk-cookie-user@example.com";
const PASSWORD = "correct horse battery staple";

/** A page on another site that, once opened, navigates the browser to `target` (a logout-CSRF attempt). */
async function startEvilSite(host: string): Promise<{ origin: string; target: string; close(): Promise<void> }> {
  const site = { origin: "", target: "", close: async () => {} };
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(`<!doctype html><html><head><title>Free prizes</title></head><body><script>location.href = ${JSON.stringify(site.target).replace(/</g, "\\u003c")};</script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  site.origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  site.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return site;
}

type Transport = "plain http" | "secure context";

/** What the browser sent to tell Gatehouse where a request came from, for the transport under test. */
async function assertFrom(request: Request, transport: Transport, expected: { fetchSite: string; referer: string }): Promise<void> {
  const headers = await request.allHeaders();
  if (transport === "secure context") {
    assert.equal(headers["sec-fetch-site"], expected.fetchSite);
    return;
  }
  assert.equal(headers["sec-fetch-site"], undefined, "no Fetch Metadata outside a secure context");
  assert.equal(headers["referer"], expected.referer);
}


// The two transports are independent (own servers, own browser) and run side by side; the tests
// within one run in order, in one browser.
describe("@authgear/web SDK in cookie mode against Gatehouse (Chromium)", { concurrency: true }, () => {
  transportSuite("plain http");
  transportSuite("secure context");
});

function transportSuite(transport: Transport): void { describe(transport, { concurrency: 1 }, () => {
  let app: AppServer;
  let gatehouse: TestServer;
  let evil: Awaited<ReturnType<typeof startEvilSite>>;
  let browser: Browser;
  let page: Page;
  let userId: string;
  /** Every token-endpoint request the browser made: cookie mode should make none. */
  const tokenRequests: Request[] = [];
  /** Every top-level navigation response (redirect hops included), in order. */
  const navigations: Response[] = [];
  /** Browser console errors and uncaught page errors, appended to a failure's message. */
  const browserLog: string[] = [];

  before(async () => {
    app = await startAppServer({ sessionType: "cookie", host: "app.example.test" });
    gatehouse = await startTestServer({ host: "identity.example.test", clients: [app.client] });
    app.useGatehouse(gatehouse.url);
    evil = await startEvilSite("evil.other.test");
    userId = await gatehouse.createUser(EMAIL, PASSWORD);
    const args = ["--host-resolver-rules=MAP *.example.test 127.0.0.1, MAP *.other.test 127.0.0.1"];
    if (transport === "secure context") args.push(`--unsafely-treat-insecure-origin-as-secure=${gatehouse.url},${app.origin},${evil.origin}`);
    browser = await launchChromium({ args });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") browserLog.push(`[console.${m.type()}] ${m.text()}`); });
    page.on("pageerror", (e) => browserLog.push(`[pageerror] ${e.message}`));
    page.on("request", (r) => { if (r.url().startsWith(`${gatehouse.url}/oauth2/token`)) tokenRequests.push(r); });
    page.on("response", (r) => { if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) navigations.push(r); });
  });

  after(async () => {
    await browser?.close();
    await gatehouse?.close();
    await app?.close();
    await evil?.close();
  });

  const appLoaded = () => page.waitForFunction(() => typeof window.app === "object");

  async function sessionCookies() {
    return (await browser.context.cookies()).filter((c) => c.name === "session");
  }

  /**
   * What a backend behind Gatehouse's resolver learns from the browser's cookies for
   * identity.example.test, or from the given Cookie header. With no credential at all the resolver
   * sends no x-authgear-session-valid header (null here); an ended session's cookie gets "false".
   */
  async function resolve(cookieHeader?: string): Promise<{ valid: string | null; userId: string | null }> {
    const cookie = cookieHeader ?? (await browser.context.cookies(gatehouse.url)).map((c) => `${c.name}=${c.value}`).join("; ");
    const res = await fetch(`http://127.0.0.1:${new URL(gatehouse.url).port}/_resolver/resolve`, { headers: cookie ? { cookie } : {} });
    await res.arrayBuffer();
    return { valid: res.headers.get("x-authgear-session-valid"), userId: res.headers.get("x-authgear-user-id") };
  }

  /** The SDK's sign-in: startAuthentication → Gatehouse's login page → back on the app's /callback. Returns the authorize URL. */
  async function signInWithSdk(state: string): Promise<URL> {
    await page.goto(`${app.origin}/`);
    await appLoaded();
    assert.equal(await page.evaluate(() => window.app.configure()), "UNKNOWN", "cookie mode cannot know the session state locally");
    const authorizeRequest = page.waitForRequest((r) => r.url().startsWith(`${gatehouse.url}/oauth2/authorize?`));
    await page.evaluate((s) => { void window.app.start(s); }, state);
    const authorize = new URL((await authorizeRequest).url());
    await page.waitForURL((u) => u.origin === gatehouse.url && u.pathname === "/login");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.origin === app.origin && u.pathname === "/callback");
    await appLoaded();
    return authorize;
  }

  async function withBrowserLog(flow: () => Promise<void>): Promise<void> {
    try {
      await flow();
    } catch (e) {
      if (e instanceof Error && browserLog.length > 0) e.message += `\nbrowser log:\n${browserLog.join("\n")}`;
      throw e;
    }
  }

  it("signs in with response_type=none, reads userinfo through the shared cookie, and logs out with no confirmation", () => withBrowserLog(async () => {
    assert.equal(new URL(gatehouse.url).hostname, "identity.example.test");
    assert.equal(new URL(app.origin).hostname, "app.example.test");

    // 1. startAuthentication in cookie mode: response_type=none, no PKCE, no offline_access, SSO on.
    const authorize = await signInWithSdk("cookie-e2e-state");
    assert.equal(authorize.searchParams.get("client_id"), CLIENT_ID);
    assert.equal(authorize.searchParams.get("redirect_uri"), app.redirectURI);
    assert.equal(authorize.searchParams.get("response_type"), "none");
    assert.equal(authorize.searchParams.get("code_challenge"), null);
    assert.deepEqual(authorize.searchParams.get("scope")?.split(" ").sort(), ["https://authgear.com/scopes/full-access", "openid"]);
    assert.equal(authorize.searchParams.get("x_sso_enabled"), "true");
    assert.equal(authorize.searchParams.get("x_suppress_idp_session_cookie"), null);

    // 2. Back on the app with only state (and iss); the shared cookie is the session.
    const callback = new URL(page.url());
    assert.deepEqual([...callback.searchParams.keys()].sort(), ["iss", "state"], "response_type=none returns no code");
    assert.equal(callback.searchParams.get("state"), "cookie-e2e-state");
    assert.equal(callback.searchParams.get("iss"), gatehouse.url);
    const cookies = await sessionCookies();
    assert.equal(cookies.length, 1, JSON.stringify(cookies));
    assert.equal(cookies[0].domain, ".example.test", "the session cookie is shared with the app's subdomain");
    assert.equal(cookies[0].httpOnly, true, "the SDK never sees the session cookie");

    // 3. finishAuthentication in cookie mode exchanges nothing: it reads userinfo with the cookie
    //    (credentials: "include", no Authorization header) over credentialed CORS.
    await page.evaluate(() => window.app.configure());
    const userinfoResponse = page.waitForResponse((r) => r.url() === `${gatehouse.url}/oauth2/userinfo`);
    const finished = await page.evaluate(() => window.app.finish());
    assert.deepEqual(finished, { state: "cookie-e2e-state", sessionState: "UNKNOWN", sub: userId, email: EMAIL });
    const userinfo = await userinfoResponse;
    const userinfoHeaders = await userinfo.request().allHeaders();
    assert.equal(userinfo.status(), 200);
    assert.equal(userinfoHeaders["origin"], app.origin, "a real cross-origin request");
    assert.equal(userinfoHeaders["authorization"], undefined, "no bearer token in cookie mode");
    assert.match(userinfoHeaders["cookie"] ?? "", /(^|; )session=/, "the shared cookie rode along");
    assert.equal(userinfo.headers()["access-control-allow-origin"], app.origin);
    assert.equal(userinfo.headers()["access-control-allow-credentials"], "true");
    assert.deepEqual(tokenRequests.map((r) => r.url()), [], "cookie mode never calls the token endpoint");

    // 4. fetchUserInfo any time later works through the cookie; the resolver agrees.
    assert.deepEqual(await page.evaluate(() => window.app.userInfo()), { sub: userId, email: EMAIL, emailVerified: true, isVerified: true, isAnonymous: false });
    assert.deepEqual(await resolve(), { valid: "true", userId });
    const sessionCookie = `session=${(await sessionCookies())[0].value}`;

    // 5. logout({ redirectURI }) navigates to end_session (no client_id, no id_token_hint: the SDK has
    //    none in cookie mode). Same-site, so the session ends at once and the browser lands on the
    //    post-logout URI with no "Sign out?" page in between.
    const from = navigations.length;
    const endSessionRequest = page.waitForRequest((r) => r.url().startsWith(`${gatehouse.url}/oauth2/end_session?`));
    await page.evaluate(() => { void window.app.logout(); });
    const endSession = await endSessionRequest;
    await page.waitForURL(app.postLogoutRedirectURI);
    const endSessionURL = new URL(endSession.url());
    assert.deepEqual([...endSessionURL.searchParams], [["post_logout_redirect_uri", app.postLogoutRedirectURI]]);
    await assertFrom(endSession, transport, { fetchSite: "same-site", referer: `${app.origin}/` });
    const endSessionResponse = await endSession.response();
    assert.ok(endSessionResponse && [302, 303].includes(endSessionResponse.status()), `end_session redirected at once (got ${endSessionResponse?.status()})`);
    assert.equal(endSessionResponse.headers()["location"], app.postLogoutRedirectURI);
    const hops = navigations.slice(from).map((r) => `${r.status()} ${r.url()}`);
    assert.deepEqual(hops, [`${endSessionResponse.status()} ${endSession.url()}`, `200 ${app.postLogoutRedirectURI}`], "no confirmation page");

    // 6. Signed out everywhere: the cookie is gone, the resolver says invalid, userinfo is refused.
    assert.deepEqual(await sessionCookies(), [], "end_session cleared the shared cookie");
    assert.deepEqual(await resolve(), { valid: null, userId: null }, "the browser presents no session any more");
    assert.deepEqual(await resolve(sessionCookie), { valid: "false", userId: null }, "the session itself has ended, not just its cookie");
    await appLoaded();
    await page.evaluate(() => window.app.configure());
    const after = await page.evaluate(() => window.app.userInfoOrError());
    assert.ok("errorName" in after, `userinfo fails once signed out: ${JSON.stringify(after)}`);
    assert.equal(after.error, "invalid_token");
    assert.deepEqual(tokenRequests.map((r) => r.url()), []);
  }));

  it("the same end_session URL opened from another site asks first and leaves the session alone", () => withBrowserLog(async () => {
    await browser.context.clearCookies();
    await signInWithSdk("cookie-e2e-again");
    assert.deepEqual(await resolve(), { valid: "true", userId });

    // evil.other.test navigates the signed-in browser to end_session with a registered URI.
    const target = new URL("/oauth2/end_session", gatehouse.url);
    target.searchParams.set("post_logout_redirect_uri", app.postLogoutRedirectURI);
    evil.target = target.href;
    const endSessionRequest = page.waitForRequest((r) => r.url() === target.href);
    await page.goto(`${evil.origin}/`);
    const endSession = await endSessionRequest;
    await page.waitForURL(target.href);
    await assertFrom(endSession, transport, { fetchSite: "cross-site", referer: `${evil.origin}/` });
    assert.equal((await endSession.response())?.status(), 200);
    await page.getByRole("heading", { name: "Sign out?" }).waitFor();
    assert.match(await page.title(), /^Sign out\?/);

    // Nothing happened yet: the cookie is there and the session is still valid.
    assert.equal((await sessionCookies()).length, 1);
    assert.deepEqual(await resolve(), { valid: "true", userId });
  }));

  // Continues on the "Sign out?" page the previous test left open.
  it("confirming on that page signs out and lands on the redirect URI", () => withBrowserLog(async () => {
    assert.match(await page.title(), /^Sign out\?/, "the previous test left the confirmation page open");
    const sessionCookie = `session=${(await sessionCookies())[0].value}`;
    const confirm = page.waitForRequest((r) => r.url() === `${gatehouse.url}/oauth2/end_session` && r.method() === "POST");
    await page.getByRole("button", { name: "Sign out" }).click();
    // Settles once Gatehouse has answered (null when the browser then refused to follow the answer).
    await (await confirm).response();
    assert.deepEqual(await resolve(sessionCookie), { valid: "false", userId: null }, "the confirmation POST ended the session");
    await page.waitForURL(app.postLogoutRedirectURI, { timeout: 5_000 });
    assert.deepEqual(await sessionCookies(), []);
    assert.deepEqual(await resolve(), { valid: null, userId: null });
    await appLoaded();
    await page.evaluate(() => window.app.configure());
    const after = await page.evaluate(() => window.app.userInfoOrError());
    assert.ok("errorName" in after && after.error === "invalid_token", JSON.stringify(after));
  }));
});
}
