// GitHub, Facebook and LinkedIn — plain OAuth 2.0 — against a local stand-in answering the
// documented responses of their APIs (fixtures/*.json name the doc each came from): what Gatehouse
// sends them, the user and identity it makes from their answers, and their errors as pages.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { startTestServer, type TestServer } from "../support/server.ts";
import { fixture, startProviderApi, type ProviderApi } from "./provider-api.ts";
import { comeBack, pressButton, UserAgent } from "./sign-in-steps.ts";

describe("plain OAuth 2.0 providers (GitHub, Facebook, LinkedIn)", () => {
  let api: ProviderApi;
  let s: TestServer;
  const github = fixture("github");
  const facebook = fixture("facebook");
  const linkedin = fixture("linkedin");

  before(async () => {
    api = await startProviderApi();
    s = await startTestServer({
      upstreamFetch: api.fetch,
      config: {
        identity: {
          oauth: {
            providers: [
              { alias: "github", type: "github", client_id: "Iv1.gh-client", client_secret: "gh-secret" },
              { alias: "fb", type: "facebook", client_id: "fb-app-id", client_secret: "fb-app-secret" },
              { alias: "li", type: "linkedin", client_id: "li-client", client_secret: "li-secret", name: "LinkedIn (work)" },
            ],
          },
        },
      },
    });
  });

  after(async () => {
    await s?.close();
    await api?.close();
  });

  it("GitHub: authorization with state and PKCE, code exchange with the secret, profile from /user and /user/emails", async () => {
    api.on("github.com/login/oauth/access_token", github.token);
    api.on("api.github.com/user", github.user);
    api.on("api.github.com/user/emails", github.emails);
    const agent = new UserAgent();
    const authorize = await pressButton(s, agent, "github");
    assert.equal(authorize.origin + authorize.pathname, "https://github.com/login/oauth/authorize");
    const q = authorize.searchParams;
    assert.equal(q.get("client_id"), "Iv1.gh-client");
    assert.equal(q.get("redirect_uri"), `${s.url}/sso/oauth2/callback/github`);
    assert.equal(q.get("scope"), "read:user user:email");
    assert.equal(q.get("code_challenge_method"), "S256");

    const page = await comeBack(s, agent, "github", { code: "gh-code-1", state: q.get("state")! });
    assert.match(page.html, /Signed in as octocat@github\.com/);
    const token = api.requests.find((r) => r.target === "github.com/login/oauth/access_token")!;
    assert.equal(token.headers.accept, "application/json");
    assert.equal(token.form.get("code"), "gh-code-1");
    assert.equal(token.form.get("client_secret"), "gh-secret");
    assert.equal(token.form.get("redirect_uri"), `${s.url}/sso/oauth2/callback/github`);
    // The verifier sent now is the one whose challenge went out at the start.
    assert.equal(createHash("sha256").update(token.form.get("code_verifier")!).digest("base64url"), q.get("code_challenge"));
    const userCall = api.requests.find((r) => r.target === "api.github.com/user")!;
    assert.equal(userCall.headers.authorization, "Bearer gho_16C7e42F292c6912E7710c838347Ae178B4a");

    const identity = await s.ctx.storage.identities.findByProvider("github", "1");
    assert.ok(identity, "the identity is keyed by GitHub's numeric id");
    assert.deepEqual(
      { email: identity.claims.email, verified: identity.claims.email_verified, username: identity.claims.preferred_username, picture: identity.claims.picture },
      { email: "octocat@github.com", verified: true, username: "octocat", picture: "https://github.com/images/error/octocat_happy.gif" },
    );
    const user = await s.ctx.storage.users.get(identity.userId);
    assert.equal(user?.email, "octocat@github.com");
    assert.equal(user?.isVerified, true);
  });

  it("GitHub: a code it refuses (200 with an error body) ends on a readable page", async () => {
    api.on("github.com/login/oauth/access_token", github.token_bad_code);
    const agent = new UserAgent();
    const state = (await pressButton(s, agent, "github")).searchParams.get("state")!;
    const page = await comeBack(s, agent, "github", { code: "expired", state });
    assert.equal(page.status, 400);
    assert.match(page.html, /Signing in with GitHub did not work/);
    assert.match(page.html, /GitHub refused the sign-in/);
    assert.doesNotMatch(page.html, /bad_verification_code|incorrect or expired/, "the provider's raw answer stays in the log");
  });

  it("Facebook: Graph /me with appsecret_proof; the user's name and picture land in the identity", async () => {
    api.on("graph.facebook.com/v21.0/oauth/access_token", facebook.token);
    api.on("graph.facebook.com/v21.0/me", facebook.me);
    const agent = new UserAgent();
    const authorize = await pressButton(s, agent, "fb");
    assert.equal(authorize.origin + authorize.pathname, "https://www.facebook.com/v21.0/dialog/oauth");
    assert.equal(authorize.searchParams.get("scope"), "email public_profile");
    const page = await comeBack(s, agent, "fb", { code: "fb-code", state: authorize.searchParams.get("state")! });
    assert.match(page.html, /Signed in as jonathan\.doe@example\.com/);
    const me = api.requests.find((r) => r.target === "graph.facebook.com/v21.0/me")!;
    const accessToken = (facebook.token.body as { access_token: string }).access_token;
    assert.equal(me.query.get("appsecret_proof"), createHmac("sha256", "fb-app-secret").update(accessToken).digest("hex"));
    assert.match(me.query.get("fields") ?? "", /\bemail\b/);
    const identity = await s.ctx.storage.identities.findByProvider("fb", "10158272389205167");
    assert.equal(identity?.claims.given_name, "Jonathan");
    assert.equal(identity?.claims.nickname, "Jonathan");
    assert.match(String(identity?.claims.picture), /^https:\/\/platform-lookaside\.fbsbx\.com\//);
  });

  it("Facebook: the user pressing Cancel (error=access_denied, error_reason=user_denied) is a readable page", async () => {
    const agent = new UserAgent();
    const state = (await pressButton(s, agent, "fb")).searchParams.get("state")!;
    // https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow#canceled
    const page = await comeBack(s, agent, "fb", { error_reason: "user_denied", error: "access_denied", error_description: "Permissions error.", state });
    assert.equal(page.status, 400);
    assert.match(page.html, /You cancelled signing in with Facebook\. Nothing was changed\./);
  });

  it("LinkedIn: token then the userinfo endpoint; its label comes from `name`", async () => {
    api.on("www.linkedin.com/oauth/v2/accessToken", linkedin.token);
    api.on("api.linkedin.com/v2/userinfo", linkedin.userinfo);
    const agent = new UserAgent();
    const login = await (await agent.request(`${s.url}/login`)).text();
    assert.match(login, /Continue with LinkedIn \(work\)/);
    const authorize = await pressButton(s, agent, "li");
    assert.equal(authorize.origin + authorize.pathname, "https://www.linkedin.com/oauth/v2/authorization");
    assert.equal(authorize.searchParams.get("scope"), "openid profile email");
    const page = await comeBack(s, agent, "li", { code: "li-code", state: authorize.searchParams.get("state")! });
    assert.match(page.html, /Signed in as doe@email\.com/);
    const token = api.requests.find((r) => r.target === "www.linkedin.com/oauth/v2/accessToken")!;
    assert.equal(token.form.get("grant_type"), "authorization_code");
    assert.equal(token.form.get("client_id"), "li-client");
    assert.equal(token.form.get("client_secret"), "li-secret");
    const identity = await s.ctx.storage.identities.findByProvider("li", "782bbtaQ");
    assert.equal(identity?.claims.family_name, "Doe");
  });

  it("keeps what it stores small: oversized claims are dropped, an oversized user id is refused", async () => {
    const base = linkedin.userinfo.body as Record<string, unknown>;
    api.on("www.linkedin.com/oauth/v2/accessToken", linkedin.token);
    api.on("api.linkedin.com/v2/userinfo", { status: 200, body: { ...base, sub: "big-claims", email: "big@example.com", name: "n".repeat(100_000) } });
    const agent = new UserAgent();
    const state = (await pressButton(s, agent, "li")).searchParams.get("state")!;
    assert.match((await comeBack(s, agent, "li", { code: "c", state })).html, /Signed in as big@example\.com/);
    const identity = await s.ctx.storage.identities.findByProvider("li", "big-claims");
    assert.equal(identity?.claims.name, undefined);
    assert.equal(identity?.claims.given_name, "John");
    api.on("api.linkedin.com/v2/userinfo", { status: 200, body: { ...base, sub: "s".repeat(256), email: "long@example.com" } });
    const agent2 = new UserAgent();
    const state2 = (await pressButton(s, agent2, "li")).searchParams.get("state")!;
    assert.equal((await comeBack(s, agent2, "li", { code: "c", state: state2 })).status, 502);
  });

  it("a state is single use: coming back twice with it is refused the second time", async () => {
    api.on("api.linkedin.com/v2/userinfo", linkedin.userinfo);
    const agent = new UserAgent();
    const state = (await pressButton(s, agent, "li")).searchParams.get("state")!;
    assert.match((await comeBack(s, agent, "li", { code: "li-code", state })).html, /Signed in as/);
    const again = await comeBack(s, agent, "li", { code: "li-code", state });
    assert.equal(again.status, 400);
    assert.match(again.html, /This sign-in attempt is not valid/);
  });

  it("hostile callbacks are readable pages, never a 500, and nothing from them is echoed unescaped", async () => {
    const agent = new UserAgent();
    const state = (await pressButton(s, agent, "github")).searchParams.get("state")!;
    const cases = [
      `state=${state}&state=${state}&code=a`,
      `state=${state}&error=${encodeURIComponent("<script>alert(1)</script>")}`,
      `state=${"A".repeat(5000)}&code=x`,
      `state=%00&code=%00`,
      `code=only`,
    ];
    for (const query of cases) {
      const res = await agent.request(`${s.url}/sso/oauth2/callback/github?${query}`);
      assert.ok(res.status >= 400 && res.status < 500, `${query.slice(0, 60)} → ${res.status}`);
      const html = await res.text();
      assert.doesNotMatch(html, /<script>/);
      assert.match(html, /Signing in with GitHub did not work/);
    }
    const posted = await agent.request(`${s.url}/sso/oauth2/callback/github`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ state: ["x"], code: { a: 1 } }) });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get("location"), "/sso/oauth2/callback/github?");
  });

  it("an unknown alias is a 404 page, and an upstream that cannot be reached is a 502 page", async () => {
    const agent = new UserAgent();
    const unknown = await agent.request(`${s.url}/sso/oauth2/callback/nope?state=x&code=y`);
    assert.equal(unknown.status, 404);
    api.on("api.linkedin.com/v2/userinfo", { status: 503, body: { message: "down" } });
    const state = (await pressButton(s, agent, "li")).searchParams.get("state")!;
    const page = await comeBack(s, agent, "li", { code: "li-code", state });
    assert.equal(page.status, 502);
    assert.match(page.html, /LinkedIn \(work\) could not be reached or gave an answer we could not use/);
  });
});
