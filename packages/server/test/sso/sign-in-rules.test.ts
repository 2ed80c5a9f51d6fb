// Who a social sign-in becomes, on SQLite and PostgreSQL: Authgear's default account linking (a
// matching email is refused), missing and unverified emails, disabled users, linking from settings
// (CSRF, signed in, never someone else's account), and x_oauth_provider_alias on /oauth2/authorize.
// GitHub (through the local stand-in and its documented responses) is the provider.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { loginIdIdentity } from "../../src/domain/identity.ts";
import { SPA_CLIENT, startTestServer, type TestServer } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { fixture, startProviderApi, type ProviderApi } from "./provider-api.ts";
import { comeBack, pressButton, UserAgent } from "./sign-in-steps.ts";
import { csrfOf, post } from "../account/fixture.ts";

const github = fixture("github");
const user = (over: Record<string, unknown>) => ({ status: 200, body: { ...(github.user.body as object), ...over } });
const emails = (list: unknown[]) => ({ status: 200, body: list });

for (const db of testDatabases()) {
  describe(`social sign-in rules (${db.name})`, { skip: db.skip }, () => {
    let api: ProviderApi;
    let s: TestServer;

    before(async () => {
      api = await startProviderApi();
      api.on("github.com/login/oauth/access_token", github.token);
      s = await startTestServer({
        databaseUrl: db.url, upstreamFetch: api.fetch,
        config: {
          identity: {
            oauth: {
              providers: [
                { alias: "github", type: "github", client_id: "gh", client_secret: "gh-secret" },
                { alias: "gh-lax", type: "github", client_id: "gh2", client_secret: "gh-secret", claims: { email: { required: false } } },
                { alias: "gh-names", type: "github", client_id: "gh3", client_secret: "gh-secret" },
              ],
            },
            login_id: { keys: [{ type: "email" }, { type: "username" }] },
          },
          account_linking: { oauth: [{ alias: "gh-names", oauth_claim: { pointer: "/preferred_username" }, user_profile: { pointer: "/preferred_username" }, action: "error" }] },
        },
      });
    });

    after(async () => {
      await s?.close();
      await api?.close();
      await db.drop();
    });

    async function signInAs(agent: UserAgent, alias: string, id: number, list: unknown[]): Promise<{ status: number; html: string; url: string }> {
      api.on("api.github.com/user", user({ id, login: `user${id}` }));
      api.on("api.github.com/user/emails", emails(list));
      const state = (await pressButton(s, agent, alias)).searchParams.get("state")!;
      return comeBack(s, agent, alias, { code: `code-${id}`, state });
    }

    it("refuses by default (account_linking action error) when the verified email belongs to an account", async () => {
      await s.createUser("taken@example.com", "a long password 1");
      const page = await signInAs(new UserAgent(), "github", 101, [{ email: "taken@example.com", primary: true, verified: true, visibility: null }]);
      assert.equal(page.status, 409);
      assert.match(page.html, /An account with the email address from GitHub already exists/);
      assert.equal(await s.ctx.storage.identities.findByProvider("github", "101"), null);
    });

    it("links by another claim when configured: a username matched as sign-in normalises it", async () => {
      const now = s.ctx.now();
      const id = randomUUID();
      const created = await s.ctx.storage.users.create(
        { id, email: null, isVerified: false, isAnonymous: false, disabled: false, disabledReason: null, roles: [], standardAttributes: {}, customAttributes: {}, createdAt: now, updatedAt: now }, null,
        [loginIdIdentity({ id: randomUUID(), userId: id, key: "username", type: "username", loginId: "user110", originalLoginId: "user110", at: now })],
      );
      assert.ok(created);
      api.on("api.github.com/user", user({ id: 110, login: "User110" }));
      api.on("api.github.com/user/emails", emails([{ email: "someone-else@example.com", primary: true, verified: true, visibility: null }]));
      const agent = new UserAgent();
      const state = (await pressButton(s, agent, "gh-names")).searchParams.get("state")!;
      const page = await comeBack(s, agent, "gh-names", { code: "c", state });
      assert.equal(page.status, 409);
      assert.equal(await s.ctx.storage.identities.findByProvider("gh-names", "110"), null);
    });

    it("without an email: refused when required, an email-less user when not", async () => {
      const refused = await signInAs(new UserAgent(), "github", 102, []);
      assert.equal(refused.status, 400);
      assert.match(refused.html, /GitHub did not share an email address/);
      const agent = new UserAgent();
      const page = await signInAs(agent, "gh-lax", 102, []);
      assert.equal(page.status, 200);
      const identity = await s.ctx.storage.identities.findByProvider("gh-lax", "102");
      assert.ok(identity);
      assert.equal((await s.ctx.storage.users.get(identity.userId))?.email, null);
    });

    it("an unverified email stays in the identity's claims, and never becomes the account's email", async () => {
      await signInAs(new UserAgent(), "github", 103, [{ email: "maybe@example.com", primary: true, verified: false, visibility: null }]);
      const identity = (await s.ctx.storage.identities.findByProvider("github", "103"))!;
      assert.equal(identity.claims.email, "maybe@example.com");
      assert.equal(identity.claims.email_verified, false);
      const account = await s.ctx.storage.users.get(identity.userId);
      assert.equal(account?.email, null);
      assert.equal(account?.isVerified, false);
      assert.equal(await s.ctx.storage.users.findByEmail("maybe@example.com"), null);
    });

    it("a disabled user's identity signs nobody in", async () => {
      const list = [{ email: "dora@example.com", primary: true, verified: true, visibility: null }];
      await signInAs(new UserAgent(), "github", 104, list);
      const identity = (await s.ctx.storage.identities.findByProvider("github", "104"))!;
      await s.ctx.storage.users.update(identity.userId, { disabled: true }, s.ctx.now());
      const page = await signInAs(new UserAgent(), "github", 104, list);
      assert.equal(page.status, 403);
      assert.match(page.html, /This account is disabled/);
    });

    it("connecting from settings needs the page's CSRF token and the session, and never takes another user's account", async () => {
      const agent = new UserAgent();
      const noCsrf = await agent.request(`${s.url}/sso/oauth2/start/github?intent=link`);
      assert.equal(noCsrf.status, 403);
      // Signed in with a password: the settings page offers to connect GitHub.
      await s.createUser("pat@example.com", "a long password 2");
      const login = await (await agent.request(`${s.url}/login`)).text();
      assert.equal((await post(agent, `${s.url}/login`, { csrf: csrfOf(login), flow: "", login_id: "pat@example.com", password: "a long password 2" })).status, 303);
      const settings = await (await agent.request(`${s.url}/settings`)).text();
      const connect = /href="(\/sso\/oauth2\/start\/github\?intent=link&amp;csrf=[^"]+)"/.exec(settings)?.[1];
      assert.ok(connect, "a Connect GitHub link");
      // GitHub account 104 is already dora's.
      api.on("api.github.com/user", user({ id: 104 }));
      const start = await agent.request(`${s.url}${connect.replace(/&amp;/g, "&")}`);
      assert.equal(start.status, 302);
      const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
      const taken = await comeBack(s, agent, "github", { code: "c", state });
      assert.equal(taken.status, 409);
      assert.match(taken.html, /already connected to another user/);
      // A fresh GitHub account connects.
      api.on("api.github.com/user", user({ id: 105 }));
      const start2 = await agent.request(`${s.url}${connect.replace(/&amp;/g, "&")}`);
      const state2 = new URL(start2.headers.get("location")!).searchParams.get("state")!;
      const done = await comeBack(s, agent, "github", { code: "c", state: state2 });
      assert.match(done.html, /The account is now connected\./);
      const pat = await s.ctx.storage.users.findByEmail("pat@example.com");
      assert.equal((await s.ctx.storage.identities.findByProvider("github", "105"))?.userId, pat?.id);
    });

    it("x_oauth_provider_alias goes straight to a configured provider, and is ignored otherwise", async () => {
      const authorize = (alias: string): string => {
        const u = new URL(`${s.url}/oauth2/authorize`);
        u.search = new URLSearchParams({
          client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid",
          code_challenge: createHash("sha256").update("v".repeat(50)).digest("base64url"), code_challenge_method: "S256", x_oauth_provider_alias: alias,
        }).toString();
        return u.toString();
      };
      const known = await fetch(authorize("github"), { redirect: "manual" });
      assert.match(known.headers.get("location") ?? "", /^\/sso\/oauth2\/start\/github\?flow=[A-Za-z0-9_-]{43}$/);
      const unknown = await fetch(authorize("nope"), { redirect: "manual" });
      assert.match(unknown.headers.get("location") ?? "", /^\/login\?flow=/);
    });
  });
}
