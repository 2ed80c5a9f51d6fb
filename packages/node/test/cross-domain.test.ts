// The cross-domain app pattern end to end over real HTTP: the example app (node:http) on its own
// origin, a confidential client, the real login page, refresh, revocation and logout. The browser
// is two UserAgents, one cookie jar per origin, as a real browser keeps them apart across sites.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { IncomingMessage, ServerResponse, type Server } from "node:http";
import { Socket } from "node:net";
import { createCrossDomainSession, CrossDomainError, type CrossDomainSessions } from "../src/index.ts";
import { createExampleApp } from "../../../examples/cross-domain-app/app.ts";
import { startTestServer, freePort, closeServer, UserAgent, EMAIL, PASSWORD, SPA_CLIENT, type TestServer } from "./support.ts";
import { revokeGrant } from "../../server/src/session/revocation.ts";

const SECRET = "other-app-secret-0123456789abcdef";
const COOKIE = "other_app_session";

/** A bare node:http request/response pair, to call the helper without any server or framework. */
function exchangeFor(url: string, cookie?: string): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  req.method = "GET";
  req.url = url;
  if (cookie) req.headers.cookie = cookie;
  return { req, res: new ServerResponse(req) };
}

const cookiePair = (res: ServerResponse, name: string): string =>
  ([res.getHeader("set-cookie")].flat() as string[]).find((c) => c.startsWith(`${name}=`))!.split(";")[0];

describe("createCrossDomainSession (end to end)", () => {
  let gatehouse: TestServer;
  let app: Server;
  let appUrl: string;
  let userId: string;
  let offset = 0;
  const tokenCalls: string[] = [];

  before(async () => {
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    gatehouse = await startTestServer({
      clients: [SPA_CLIENT, {
        client_id: "other-app",
        x_application_type: "confidential",
        client_secret: SECRET,
        redirect_uris: [`${appUrl}/callback`],
        post_logout_redirect_uris: [`${appUrl}/`],
        access_token_lifetime_seconds: 300,
        // Rotation makes refresh races fatal, so this also proves the stampede protection.
        refresh_token_rotation_enabled: true,
      }],
    });
    userId = await gatehouse.createUser(EMAIL, PASSWORD);
    const auth: CrossDomainSessions = createCrossDomainSession({
      issuer: gatehouse.url,
      clientId: "other-app",
      clientSecret: SECRET,
      redirectUri: `${appUrl}/callback`,
      postLogoutRedirectUri: `${appUrl}/`,
      cookieName: COOKIE,
      cookieSecret: "test-cookie-secret-0123456789abcdef-xyz",
      now: () => Date.now() + offset * 1000,
      fetch: async (input, init) => {
        if (String(input).endsWith("/oauth2/token")) tokenCalls.push(new URLSearchParams(String(init?.body)).get("grant_type")!);
        return fetch(input, init);
      },
    });
    app = createExampleApp(auth);
    await new Promise<void>((resolve) => app.listen(port, "127.0.0.1", resolve));
  });
  after(async () => { await closeServer(app); await gatehouse.close(); });

  /** Both clocks move: Gatehouse's and the app's. */
  const advance = (seconds: number): void => { gatehouse.advance(seconds); offset += seconds; };

  /** Visits a protected page signed out, signs in on Gatehouse's page, lands back on the app. */
  async function signIn(): Promise<{ browser: UserAgent; idp: UserAgent }> {
    const browser = new UserAgent();
    const idp = new UserAgent();
    const start = await browser.request(`${appUrl}/private`);
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get("location")!);
    assert.equal(authorize.origin + authorize.pathname, `${gatehouse.url}/oauth2/authorize`);
    assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
    assert.equal(authorize.searchParams.get("scope"), "openid offline_access");
    assert.ok(authorize.searchParams.get("state") && authorize.searchParams.get("nonce"));
    assert.ok(browser.cookies.has(`${COOKIE}_tx`));
    const callback = await idp.signIn(authorize.toString(), gatehouse.url, EMAIL, PASSWORD);
    assert.ok(callback.startsWith(`${appUrl}/callback?`), callback);
    const landed = await browser.request(callback);
    assert.equal(landed.status, 302);
    assert.equal(landed.headers.get("location"), "/private");
    const setCookies = landed.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith(`${COOKIE}=`))!;
    assert.match(session, /; HttpOnly/);
    assert.match(session, /; SameSite=Lax/);
    assert.doesNotMatch(session, /; Secure/, "http app: no Secure");
    assert.ok(setCookies.some((c) => c.startsWith(`${COOKIE}_tx=;`)), "the login cookie is cleared");
    assert.ok(!browser.cookies.has(`${COOKIE}_tx`));
    return { browser, idp };
  }

  const me = async (browser: UserAgent): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await browser.request(`${appUrl}/api/me`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("signs in through Gatehouse and serves the protected page", async () => {
    const { browser } = await signIn();
    const page = await browser.request(`${appUrl}/private`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(`Signed in as <code>${userId}</code>`));
    const cookie = browser.cookies.get(COOKIE)!;
    assert.ok(!cookie.includes("eyJ"), "the tokens are not readable in the cookie");
    assert.equal((await me(browser)).body.userId, userId);
  });

  it("refreshes an access token near expiry, once for concurrent requests, and rewrites the cookie", async () => {
    const { browser } = await signIn();
    const first = await me(browser);
    const before = browser.cookies.get(COOKIE);
    tokenCalls.length = 0;
    advance(280); // within 30 s of the 300 s lifetime
    const oldCookie = `${COOKIE}=${before}`;
    const parallel = await Promise.all(Array.from({ length: 6 }, () => fetch(`${appUrl}/api/me`, { headers: { cookie: oldCookie } })));
    assert.deepEqual(parallel.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
    assert.deepEqual(tokenCalls, ["refresh_token"], "one refresh for six requests");
    const bodies = await Promise.all(parallel.map((r) => r.json() as Promise<Record<string, unknown>>));
    assert.ok(bodies.every((b) => b.tokenId === bodies[0].tokenId && b.tokenId !== first.body.tokenId), "all got the new token");
    // A request that still carries the old cookie after the refresh gets the same result, not invalid_grant.
    const late = await fetch(`${appUrl}/api/me`, { headers: { cookie: oldCookie } });
    assert.equal(late.status, 200);
    assert.ok(late.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE}=`)));
    assert.deepEqual(tokenCalls, ["refresh_token"]);
    // The browser adopts the rewritten cookie and keeps going without further refreshes.
    const again = await me(browser);
    assert.equal(again.status, 200);
    assert.notEqual(browser.cookies.get(COOKIE), before);
    assert.equal(again.body.tokenId, bodies[0].tokenId);
    assert.deepEqual(tokenCalls, ["refresh_token"]);
    // And later, with the new (rotated) refresh token, again.
    advance(300);
    assert.equal((await me(browser)).status, 200);
    assert.deepEqual(tokenCalls, ["refresh_token", "refresh_token"]);
  });

  it("drops the session at the next refresh after the grant is revoked in Gatehouse", async () => {
    const { browser } = await signIn();
    assert.equal((await me(browser)).status, 200);
    const grants = await gatehouse.ctx.storage.offlineGrants.listByUser(userId);
    for (const g of grants) if (g.revokedAt === null) await revokeGrant(gatehouse.ctx, g.id);
    // Until the access token is due, the app does not ask Gatehouse (the seed's documented gap).
    assert.equal((await me(browser)).status, 200);
    advance(300);
    const res = await browser.request(`${appUrl}/api/me`);
    assert.equal(res.status, 401);
    assert.ok(res.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE}=;`) && /Max-Age=0/.test(c)));
    assert.ok(!browser.cookies.has(COOKIE));
    const page = await browser.request(`${appUrl}/private`);
    assert.equal(page.status, 302, "sent to sign in again");
    assert.match(page.headers.get("location")!, /\/oauth2\/authorize\?/);
  });

  it("logs out: revokes the grant, clears the cookie, ends the Gatehouse session", async () => {
    const { browser, idp } = await signIn();
    assert.ok(idp.cookies.has("session"));
    const out = await browser.request(`${appUrl}/logout`, { method: "POST" });
    assert.equal(out.status, 302);
    assert.ok(!browser.cookies.has(COOKIE));
    const endSession = new URL(out.headers.get("location")!);
    assert.equal(endSession.origin + endSession.pathname, `${gatehouse.url}/oauth2/end_session`);
    assert.equal(endSession.searchParams.get("post_logout_redirect_uri"), `${appUrl}/`);
    const back = await idp.follow(endSession.toString(), gatehouse.url);
    assert.equal(back.url, `${appUrl}/`);
    assert.ok(!idp.cookies.has("session"), "the Gatehouse session cookie is cleared");
    const live = (await gatehouse.ctx.storage.offlineGrants.listByUser(userId)).filter((g) => g.revokedAt === null);
    assert.deepEqual(live, [], "no grant survives the logout");
    assert.equal((await me(browser)).status, 401);
  });

  it("refuses a forged, tampered or foreign cookie and clears it", async () => {
    const { browser } = await signIn();
    const good = browser.cookies.get(COOKIE)!;
    for (const bad of [`${good.slice(0, -2)}AA`, "v1.AAAA", "not-even-sealed"]) {
      const res = await fetch(`${appUrl}/api/me`, { headers: { cookie: `${COOKIE}=${bad}` } });
      assert.equal(res.status, 401);
      assert.ok(res.headers.getSetCookie().some((c) => c.startsWith(`${COOKIE}=;`)));
    }
  });

  it("rejects a callback whose state does not match, and one without a login in progress", async () => {
    const browser = new UserAgent();
    const start = await browser.request(`${appUrl}/login`);
    const authorize = new URL(start.headers.get("location")!);
    const callback = new URL(await new UserAgent().signIn(authorize.toString(), gatehouse.url, EMAIL, PASSWORD));
    callback.searchParams.set("state", "forged");
    const forged = await browser.request(callback.toString());
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /state_mismatch/);
    const fresh = await new UserAgent().request(callback.toString());
    assert.equal(fresh.status, 400);
    assert.match(await fresh.text(), /missing_transaction/);
  });

  it("rejects a callback from another issuer (RFC 9207 mix-up defence)", async () => {
    const browser = new UserAgent();
    const start = await browser.request(`${appUrl}/login`);
    const callback = new URL(await new UserAgent().signIn(start.headers.get("location")!, gatehouse.url, EMAIL, PASSWORD));
    assert.equal(callback.searchParams.get("iss"), gatehouse.url);
    callback.searchParams.set("iss", "https://evil.example");
    const res = await browser.request(callback.toString());
    assert.equal(res.status, 400);
    assert.match(await res.text(), /issuer_mismatch/);
  });

  it("reports an error redirect from Gatehouse (after checking state)", async () => {
    const browser = new UserAgent();
    const start = await browser.request(`${appUrl}/login`);
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    const res = await browser.request(`${appUrl}/callback?error=access_denied&error_description=no&state=${state}`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /authorization_failed/);
  });

  it("only returns to local paths after login (no open redirect)", async () => {
    const browser = new UserAgent();
    const start = await browser.request(`${appUrl}/login?return_to=${encodeURIComponent("//evil.example/")}`);
    const callback = await new UserAgent().signIn(start.headers.get("location")!, gatehouse.url, EMAIL, PASSWORD);
    assert.equal((await browser.request(callback)).headers.get("location"), "/");
  });
});

describe("createCrossDomainSession without a server around it", () => {
  let gatehouse: TestServer;
  before(async () => {
    gatehouse = await startTestServer({ clients: [{ client_id: "other-app", x_application_type: "confidential", client_secret: SECRET, redirect_uris: ["https://otherapp.example/callback"] }] });
    await gatehouse.createUser(EMAIL, PASSWORD);
  });
  after(async () => { await gatehouse.close(); });
  const options = { clientId: "other-app", redirectUri: "https://otherapp.example/callback", cookieSecret: "c".repeat(32) };

  it("marks cookies Secure for an https app and passes extra authorize parameters", () => {
    const auth = createCrossDomainSession({ ...options, issuer: gatehouse.url, clientSecret: SECRET });
    const { req, res } = exchangeFor("/login");
    auth.startLogin(req, res, { params: { prompt: "login", ui_locales: "en", state: "ignored" } });
    assert.equal(res.statusCode, 302);
    assert.match(String(res.getHeader("set-cookie")), /^app_session_tx=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
    const url = new URL(String(res.getHeader("location")));
    assert.equal(url.searchParams.get("prompt"), "login");
    assert.notEqual(url.searchParams.get("state"), "ignored", "our own parameters win");
  });

  it("reports a wrong client secret as token_request_failed / invalid_client", async () => {
    const auth = createCrossDomainSession({ ...options, issuer: gatehouse.url, clientSecret: "not-the-right-secret-at-all" });
    const login = exchangeFor("/login");
    auth.startLogin(login.req, login.res);
    const callback = new URL(await new UserAgent().signIn(String(login.res.getHeader("location")), gatehouse.url, EMAIL, PASSWORD));
    const { req, res } = exchangeFor(callback.pathname + callback.search, cookiePair(login.res, "app_session_tx"));
    await assert.rejects(auth.handleCallback(req, res), (err: unknown) => {
      assert.ok(err instanceof CrossDomainError);
      assert.equal(err.code, "token_request_failed");
      assert.equal(err.oauthError, "invalid_client");
      return true;
    });
    assert.match(String(res.getHeader("set-cookie")), /^app_session_tx=; .*Max-Age=0/, "the login cookie is cleared anyway");
  });
});

describe("createCrossDomainSession options", () => {
  it("insists on a 32-character cookie secret and the openid scope", () => {
    const base = { issuer: "https://id.example.com", clientId: "c", clientSecret: "s".repeat(20), redirectUri: "https://app.example/cb" };
    assert.throws(() => createCrossDomainSession({ ...base, cookieSecret: "short" }), /at least 32/);
    assert.throws(() => createCrossDomainSession({ ...base, cookieSecret: "x".repeat(32), scopes: ["offline_access"] }), /openid/);
  });
});
