// The link_oauth settings action over HTTP, on both databases, with GitHub played by the local
// stand-in: the page's button starts the settings page's connect flow for the provider the app
// named, the callback connects the account and sends the code back to the app (grant: 200 {}); an
// unknown alias, another user's session, another provider and a taken account change nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, postToken, PASSWORD, type Fixture } from "../oauth/fixture.ts";
import { SPA_CLIENT } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { UserAgent } from "../support/user-agent.ts";
import { fixture, startProviderApi, type ProviderApi } from "../sso/provider-api.ts";
import { comeBack } from "../sso/sign-in-steps.ts";
import { appSessionToken, browserSignIn, settingsActionUrl, signInAs } from "./fixture.ts";
import { oauthIdentity } from "../../src/sso/sign-in.ts";

const FULL = "openid offline_access https://authgear.com/scopes/full-access";
const GRANT = "urn:authgear:params:oauth:grant-type:settings-action";
const github = fixture("github");
const githubUser = (id: number) => ({ status: 200, body: { ...(github.user.body as object), id, login: `user${id}` } });

for (const db of testDatabases()) {
  describe(`link_oauth settings action (${db.name})`, { skip: db.skip }, () => {
    let f: Fixture;
    let api: ProviderApi;
    before(async () => {
      api = await startProviderApi();
      api.on("github.com/login/oauth/access_token", github.token);
      api.on("api.github.com/user/emails", { status: 200, body: [] });
      f = await setup({ databaseUrl: db.url, upstreamFetch: api.fetch, config: { identity: { oauth: { providers: [
        { alias: "github", type: "github", client_id: "gh", client_secret: "gh-secret", claims: { email: { required: false } } },
        { alias: "other", type: "github", client_id: "gh2", client_secret: "gh-secret", claims: { email: { required: false } } },
      ] } } } });
    });
    after(async () => {
      await f?.server.close();
      await api?.close();
      await db.drop();
    });

    async function start(email: string, alias: string) {
      const rt = (await signInAs(f, email, PASSWORD, FULL)).refresh_token!;
      const s = await settingsActionUrl(f, await appSessionToken(f, rt), "link_oauth", { x_oauth_provider_alias: alias });
      const agent = new UserAgent();
      const res = await agent.request(s.url);
      return { agent, res, verifier: s.verifier };
    }
    const connectLink = (html: string): string => {
      const href = /href="(\/sso\/oauth2\/start\/[^"]+)"/.exec(html)?.[1];
      assert.ok(href, "a Connect link");
      return `${f.server.url}${href.replace(/&amp;/g, "&")}`;
    };
    const redeem = (code: string, verifier: string) =>
      postToken(f, { grant_type: GRANT, client_id: SPA_CLIENT.client_id, code, redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: verifier });

    it("refuses an alias that is not a configured provider, as invalid_request back at the app", async () => {
      const email = "nobody@example.com";
      await f.server.createUser(email, PASSWORD);
      const { res } = await start(email, "myspace");
      const to = new URL(res.headers.get("location")!);
      assert.equal(`${to.origin}${to.pathname}`, SPA_CLIENT.redirect_uris[0]);
      assert.equal(to.searchParams.get("error"), "invalid_request");
      assert.equal(to.searchParams.get("error_description"), "oauthProviderAlias is not a configured provider");
    });

    it("connects the provider's account through its callback and returns the code; only for the action's user", async () => {
      const email = "linker@example.com";
      const userId = await f.server.createUser(email, PASSWORD);
      const { agent, res, verifier } = await start(email, "github");
      const page = new URL(res.headers.get("location")!, f.server.url);
      assert.equal(page.pathname, "/settings/link_oauth");
      const html = await (await agent.request(page.toString())).text();
      assert.match(html, /<h1>Connect your GitHub account<\/h1>/);
      const link = connectLink(html);

      // Another signed-in user: neither the page nor the start link (her CSRF token is not in it).
      const mallory = new UserAgent();
      await f.server.createUser("mallory2@example.com", PASSWORD);
      await browserSignIn(f, mallory, "mallory2@example.com", PASSWORD);
      assert.equal((await mallory.request(page.toString())).status, 400);
      assert.equal((await mallory.request(link)).status, 403);
      // The same action id on another provider's start link is refused.
      assert.equal((await agent.request(link.replace("/start/github", "/start/other"))).status, 400);

      // A GitHub account that is someone else's: refused, and the action stays pending.
      const owner = await f.server.createUser("owner@example.com", PASSWORD);
      assert.ok(await f.server.ctx.storage.identities.create(oauthIdentity(f.server.ctx, { userId: owner, alias: "github", subject: "201", claims: {} })));
      api.on("api.github.com/user", githubUser(201));
      let upstream = await agent.request(link);
      assert.equal(upstream.status, 302);
      const taken = await comeBack(f.server, agent, "github", { code: "c", state: new URL(upstream.headers.get("location")!).searchParams.get("state")! });
      assert.equal(taken.status, 409);
      assert.match(taken.html, /href="\/settings\/link_oauth\?x_settings_action_id=/);
      assert.equal((await f.server.ctx.storage.identities.listByUser(userId)).some((i) => i.type === "oauth"), false);

      api.on("api.github.com/user", githubUser(202));
      upstream = await agent.request(connectLink(await (await agent.request(page.toString())).text()));
      const done = await comeBack(f.server, agent, "github", { code: "c", state: new URL(upstream.headers.get("location")!).searchParams.get("state")! });
      const back = new URL(done.url);
      assert.equal(`${back.origin}${back.pathname}`, SPA_CLIENT.redirect_uris[0]);
      const code = back.searchParams.get("code")!;
      assert.ok(code, done.url);
      assert.equal((await f.server.ctx.storage.identities.findByProvider("github", "202"))?.userId, userId);
      assert.deepEqual((await redeem(code, verifier)).body, {});
      assert.equal((await agent.request(page.toString())).status, 400, "finished");
    });

    it("already connected: the page's button returns to the app", async () => {
      const email = "already@example.com";
      const userId = await f.server.createUser(email, PASSWORD);
      assert.ok(await f.server.ctx.storage.identities.create(oauthIdentity(f.server.ctx, { userId, alias: "github", subject: "301", claims: {} })));
      const { agent, res, verifier } = await start(email, "github");
      const page = new URL(res.headers.get("location")!, f.server.url);
      const html = await (await agent.request(page.toString())).text();
      assert.match(html, /already connected/);
      const done = await agent.submitForm(page.toString(), html, {}, f.server.url);
      const code = new URL(done.url).searchParams.get("code")!;
      assert.ok(code, done.url);
      assert.deepEqual((await redeem(code, verifier)).body, {});
    });
  });
}
