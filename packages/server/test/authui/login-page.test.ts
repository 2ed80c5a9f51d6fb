// The hosted login UI over real HTTP: CSRF, non-enumerating errors, brute-force limit, headers.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, SPA_CLIENT, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";

describe("login and sign-up pages", () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    await s.createUser("bob@example.com", "bobs-password-123");
  });
  after(async () => { await s.close(); });

  async function openLogin(agent: UserAgent): Promise<{ url: string; html: string }> {
    const url = new URL(`${s.url}/oauth2/authorize`);
    url.search = new URLSearchParams({ client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid", code_challenge: "a".repeat(43), code_challenge_method: "S256" }).toString();
    const res = await agent.follow(url.toString(), s.url);
    return { url: res.url, html: await res.response.text() };
  }

  it("serves the page with labels, CSP and frame-ancestors", async () => {
    const res = await fetch(`${s.url}/login`);
    assert.equal(res.status, 200);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'none'/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    const html = await res.text();
    assert.match(html, /<label for="email">Email<\/label>/);
    assert.match(html, /<label for="password">Password<\/label>/);
    // The show-password toggle: hidden until our own script shows it; the script is a file, never inline.
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|nonce-/);
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), ['<script src="/_gatehouse/account.js" defer>']);
    assert.match(html, /<button type="button" class="reveal secondary" data-reveal="password" aria-controls="password" aria-pressed="false" hidden>Show password<\/button>/);
    const js = await fetch(`${s.url}/_gatehouse/account.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /^text\/javascript/);
  });

  it("refuses a form without the CSRF token, or from another origin, and changes nothing", async () => {
    const agent = new UserAgent();
    const { url, html } = await openLogin(agent);
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    const post = (body: Record<string, string>, origin = s.url) => agent.request(`${s.url}/login`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin }, body: new URLSearchParams(body) });
    const flow = new URL(url).searchParams.get("flow")!;
    assert.equal((await post({ flow, email: "bob@example.com", password: "bobs-password-123" })).status, 403);
    assert.equal((await post({ flow, csrf, email: "bob@example.com", password: "bobs-password-123" }, "http://evil.example")).status, 403);
    assert.equal(agent.cookies.has("session"), false);
    const signup = await agent.request(`${s.url}/signup`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrf: "forged", email: "eve@example.com", password: "eves-password-123" }) });
    assert.equal(signup.status, 403);
    assert.equal(await s.ctx.storage.users.findByEmail("eve@example.com"), null);
  });

  it("says the same thing for a wrong password and an unknown email", async () => {
    const texts: string[] = [];
    for (const email of ["bob@example.com", "nobody@example.com"]) {
      const agent = new UserAgent();
      const { url, html } = await openLogin(agent);
      const res = await agent.submitForm(url, html, { email, password: "wrong-password-1" }, s.url);
      assert.equal(res.response.status, 401);
      const body = await res.response.text();
      texts.push(/<p class="error"[^>]*>([^<]*)</.exec(body)![1]);
    }
    assert.equal(texts[0], texts[1]);
    assert.equal(texts[0], "Incorrect email or password.");
  });

  it("signs up a new user and completes the authorization request", async () => {
    const agent = new UserAgent();
    const { url } = await openLogin(agent);
    const signupUrl = url.replace("/login?", "/signup?");
    const page = await agent.request(signupUrl);
    const verify = await agent.submitForm(signupUrl, await page.text(), { email: "carol@example.com", password: "carols-password-1" }, s.url);
    // Sign-up asks to verify the email next (issue #5); optional by default, so "Skip for now" goes on.
    const verifyHtml = await verify.response.text();
    const done = await agent.submitForm(verify.url, verifyHtml.slice(verifyHtml.indexOf('<form method="post" action="/verify/skip"')), {}, s.url);
    assert.ok(new URL(done.url).searchParams.get("code"), done.url);
    assert.ok(await s.ctx.storage.users.findByEmail("CAROL@example.com"));
    const again = await agent.request(`${s.url}/signup`);
    const dup = await agent.submitForm(`${s.url}/signup`, await again.text(), { email: "carol@example.com", password: "another-password" }, s.url);
    assert.equal(dup.response.status, 400);
  });

  it("sets the session cookie HttpOnly and SameSite=Lax", async () => {
    const agent = new UserAgent();
    const { url, html } = await openLogin(agent);
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    const res = await agent.request(`${s.url}/login`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: s.url },
      body: new URLSearchParams({ csrf, flow: new URL(url).searchParams.get("flow")!, email: "bob@example.com", password: "bobs-password-123" }),
    });
    assert.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("session="))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Domain=/, "no Domain for an IP host");
  });

  it("limits repeated failures for one account and says so without revealing the account", async () => {
    const agent = new UserAgent();
    let last = 0;
    for (let i = 0; i < 11; i++) {
      const { url, html } = await openLogin(agent);
      const res = await agent.submitForm(url, html, { email: "target@example.com", password: `guess-${i}-xxxx` }, s.url);
      last = res.response.status;
    }
    assert.equal(last, 429);
  });

  it("shows a readable page for an expired or unknown flow", async () => {
    const res = await fetch(`${s.url}/login?flow=does-not-exist`);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /expired/);
  });
});
