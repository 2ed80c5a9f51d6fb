// Settings actions and scheduled account deletion over HTTP, on both databases: the action page is
// only for the user the app session token named, the code goes back to the app's redirect URI and
// is redeemed once by the settings-action grant (200 {}); delete_account disables the user, ends
// every token, tells the sign-in page, can be cancelled in the admin API, and the sweeper deletes.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { setup, loginWithPkce, exchange, postToken, PASSWORD, type Fixture } from "../oauth/fixture.ts";
import { SPA_CLIENT } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { UserAgent } from "../support/user-agent.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { sweepExpired } from "../../src/maintenance/sweeper.ts";
import { appSessionToken, browserSignIn, settingsActionUrl, signInAs } from "./fixture.ts";
import { oauthIdentity } from "../../src/sso/sign-in.ts";

const FULL = "openid offline_access https://authgear.com/scopes/full-access";
const GRANT = "urn:authgear:params:oauth:grant-type:settings-action";
const sha = (v: string): string => createHash("sha256").update(v).digest("base64url");

for (const db of testDatabases()) {
  describe(`settings actions and account deletion (${db.name})`, { skip: db.skip }, () => {
    let f: Fixture;
    before(async () => {
      f = await setup({ databaseUrl: db.url, config: { account_deletion: { scheduled_by_end_user_enabled: true, grace_period_days: 7 } } });
    });
    after(async () => {
      await f?.server.close();
      await db.drop();
    });
    const signIn = async (scope = FULL) => (await exchange(f, await loginWithPkce(f, { scope }))).refresh_token!;

    /** Starts an action as the SDK does; returns the agent on the action page and what the app kept. */
    async function startAction(refreshToken: string, action: string) {
      const agent = new UserAgent();
      const start = await settingsActionUrl(f, await appSessionToken(f, refreshToken), action);
      const res = await agent.request(start.url);
      assert.equal(res.status, 302);
      const page = new URL(res.headers.get("location")!, f.server.url);
      return { agent, page, ...start };
    }

    it("change_password: the page changes the password and sends the code back; the grant answers {} once", async () => {
      const rt = await signIn();
      const { agent, page, verifier, state } = await startAction(rt, "change_password");
      assert.equal(page.pathname, "/settings/change_password");
      const html = await (await agent.request(page.toString())).text();
      assert.match(html, /Change your password/);

      // Another signed-in user cannot use this action's page.
      const mallory = new UserAgent();
      await f.server.createUser("mallory@example.com", PASSWORD);
      await browserSignIn(f, mallory, "mallory@example.com", PASSWORD);
      assert.ok(mallory.cookies.has("session"));
      assert.equal((await mallory.request(page.toString())).status, 400, "another user's session");
      assert.equal((await new UserAgent().request(page.toString())).status, 403, "no session");

      // A wrong current password changes nothing and sends nothing back.
      const wrong = await agent.submitForm(page.toString(), html, { current: "not it", new_password: "a brand new passphrase", confirm: "a brand new passphrase" }, f.server.url);
      assert.equal(wrong.response.status, 400);
      const retry = await wrong.response.text();
      const done = await agent.submitForm(page.toString(), retry, { current: PASSWORD, new_password: "a brand new passphrase", confirm: "a brand new passphrase" }, f.server.url);
      const back = new URL(done.url);
      assert.equal(`${back.origin}${back.pathname}`, SPA_CLIENT.redirect_uris[0]);
      assert.equal(back.searchParams.get("state"), state);
      const code = back.searchParams.get("code")!;
      assert.ok(code);
      const stored = await f.server.ctx.storage.passwords.get(f.userId);
      assert.ok(stored && (await f.server.ctx.passwords.verify(stored, "a brand new passphrase")), "the password changed");

      // The page is finished: it cannot send a second code.
      assert.equal((await agent.request(page.toString())).status, 400);

      // Binding checks do not burn the code; then it works once.
      const base = { grant_type: GRANT, client_id: SPA_CLIENT.client_id, code, redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: verifier };
      assert.equal((await postToken(f, { ...base, code_verifier: "x".repeat(43) })).body.error, "invalid_grant");
      const { code_verifier: _omitted, ...noVerifier } = base;
      assert.equal((await postToken(f, noVerifier)).body.error, "invalid_request");
      assert.equal((await postToken(f, { ...base, redirect_uri: "http://127.0.0.1:9/other" })).body.error, "invalid_request");
      assert.equal((await postToken(f, { ...base, client_id: "test-backend", client_secret: "test-backend-secret-0123456789" })).body.error, "invalid_grant");
      const ok = await postToken(f, base);
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, {});
      const replay = await postToken(f, base);
      assert.equal(replay.status, 400);
      assert.deepEqual(replay.body, { error: "invalid_grant", error_description: "invalid authorization code" });
      // An authorization code grant with it gets nothing either.
      assert.equal((await postToken(f, { ...base, grant_type: "authorization_code" })).body.error, "invalid_grant");

      // Put the password back for the other cases.
      await f.server.ctx.storage.passwords.set(f.userId, await f.server.ctx.passwords.hash(PASSWORD), f.server.ctx.now());
    });

    it("answers an invalid action, a missing PKCE challenge and an unavailable action as Authgear does", async () => {
      const rt = await signIn();
      for (const [action, description] of [["fly_away", "invalid settings action"], ["", "invalid settings action"], ["add_phone", "settings action add_phone is not available on this server"]]) {
        const { url } = await settingsActionUrl(f, await appSessionToken(f, rt), action);
        const res = await new UserAgent().request(url);
        const to = new URL(res.headers.get("location")!);
        assert.equal(`${to.origin}${to.pathname}`, SPA_CLIENT.redirect_uris[0], action);
        assert.equal(to.searchParams.get("error"), "invalid_request");
        assert.equal(to.searchParams.get("error_description"), description);
      }
      const { url } = await settingsActionUrl(f, await appSessionToken(f, rt), "change_password", { code_challenge: "" });
      const res = await new UserAgent().request(url);
      assert.equal(new URL(res.headers.get("location")!).searchParams.get("error"), "invalid_request");
    });

    it("unlink_oauth: names its provider, disconnects that account (never the last way in) and returns", async () => {
      const ctx = f.server.ctx;
      const email = "linked@example.com";
      const userId = await f.server.createUser(email, PASSWORD);
      const identity = await ctx.storage.identities.create(oauthIdentity(ctx, { userId, alias: "github", subject: "gh-42", claims: { email: "octo@example.com" } }));
      assert.ok(identity);
      const rt = (await signInAs(f, email, PASSWORD, FULL)).refresh_token!;
      // No alias: Authgear's wording, back at the app.
      const noAlias = await new UserAgent().request((await settingsActionUrl(f, await appSessionToken(f, rt), "unlink_oauth")).url);
      assert.equal(new URL(noAlias.headers.get("location")!).searchParams.get("error_description"), "oauthProviderAlias is required for unlink_oauth");
      const agent = new UserAgent();
      const start = await settingsActionUrl(f, await appSessionToken(f, rt), "unlink_oauth", { x_oauth_provider_alias: "github" });
      const res = await agent.request(start.url);
      const page = new URL(res.headers.get("location")!, f.server.url);
      assert.equal(page.pathname, "/settings/unlink_oauth");
      const html = await (await agent.request(page.toString())).text();
      assert.match(html, /octo@example\.com/);
      const done = await agent.submitForm(page.toString(), html, {}, f.server.url);
      const code = new URL(done.url).searchParams.get("code");
      assert.ok(code, done.url);
      assert.equal((await ctx.storage.identities.listByUser(userId)).some((i) => i.type === "oauth"), false, "disconnected");
      assert.equal((await postToken(f, { grant_type: GRANT, client_id: SPA_CLIENT.client_id, code, redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: start.verifier })).status, 200);

    });

    it("delete_account: schedules the deletion, ends every token, says so at sign-in; the admin API cancels; the sweeper deletes", async () => {
      const email = "leaving@example.com";
      const userId = await f.server.createUser(email, PASSWORD);
      const tokens = await signInAs(f, email, PASSWORD, FULL);
      const rt = tokens.refresh_token!;
      const { agent: browser, page, verifier } = await startAction(rt, "delete_account");
      assert.equal(page.pathname, "/settings/delete_account");
      const html = await (await browser.request(page.toString())).text();
      assert.match(html, /deleted for good after 7 days/);
      const unticked = await browser.submitForm(page.toString(), html, {}, f.server.url);
      assert.equal(unticked.response.status, 400);
      assert.equal((await f.server.ctx.storage.users.get(userId))!.disabled, false, "nothing happens without the box ticked");
      const done = await browser.submitForm(page.toString(), await unticked.response.text(), { confirm: "yes" }, f.server.url);
      const code = new URL(done.url).searchParams.get("code")!;
      assert.ok(code);
      assert.equal((await postToken(f, { grant_type: GRANT, client_id: SPA_CLIENT.client_id, code, redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: verifier })).status, 200);

      const user = await f.server.ctx.storage.users.get(userId);
      assert.equal(user!.disabled, true);
      const schedule = await f.server.ctx.storage.accountDeletions.get(userId);
      assert.ok(schedule && schedule.deleteAt - schedule.scheduledAt === 7 * 86400 && !schedule.byAdmin);
      assert.equal((await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: rt })).body.error, "invalid_grant");
      assert.equal(browser.cookies.has("session"), false, "the browser session ended too");

      // The sign-in page says why, once the password is right.
      const signer = new UserAgent();
      const signInPage = await signer.follow(`${f.server.url}/login`, f.server.url);
      const attempt = await signer.submitForm(signInPage.url, await signInPage.response.text(), { email, password: PASSWORD }, f.server.url);
      assert.equal(attempt.response.status, 403);
      assert.match(await attempt.response.text(), /scheduled for deletion on/);

      // The admin API shows and cancels it; the user is enabled again, but old tokens stay dead.
      const { key } = await createAdminKey(f.server.ctx, "support");
      const api = async (method: string, body?: unknown) => {
        const res = await fetch(`${f.server.url}/_api/admin/users/${userId}/deletion`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, body: await res.json() };
      };
      const shown = await api("GET");
      assert.equal(shown.status, 200);
      assert.equal(shown.body.scheduled_by, "end_user");
      assert.equal((await api("POST", {})).status, 409, "already scheduled");
      assert.equal((await api("DELETE")).status, 200);
      assert.equal((await api("GET")).status, 404);
      assert.equal((await api("DELETE")).status, 404);
      assert.equal((await f.server.ctx.storage.users.get(userId))!.disabled, false);
      assert.equal((await postToken(f, { grant_type: "refresh_token", client_id: SPA_CLIENT.client_id, refresh_token: rt })).body.error, "invalid_grant");

      // An operator schedules it; the sweeper deletes when the grace period is over, and the feed says so.
      const scheduled = await api("POST", { reason: "asked by email" });
      assert.equal(scheduled.status, 201);
      assert.equal(scheduled.body.scheduled_by, "admin");
      const cursor = (await (await fetch(`${f.server.url}/_api/revocations`)).json()).cursor;
      assert.equal((await sweepExpired(f.server.ctx)).scheduledDeletions, 0, "not before its time");
      f.server.advance(7 * 86400 + 1);
      try {
        assert.equal((await sweepExpired(f.server.ctx)).scheduledDeletions, 1);
      } finally {
        f.server.advance(-(7 * 86400 + 1));
      }
      assert.equal(await f.server.ctx.storage.users.get(userId), null);
      assert.equal(await f.server.ctx.storage.accountDeletions.get(userId), null);
      const feed = await (await fetch(`${f.server.url}/_api/revocations?after=${cursor}`)).json();
      assert.ok(feed.events.some((e: { claim: string; hash: string }) => e.claim === "sub" && e.hash === sha(userId)), JSON.stringify(feed.events));
    });

    it("refuses delete_account while account_deletion.scheduled_by_end_user_enabled is off", async () => {
      const off = await setup({ databaseUrl: undefined });
      try {
        const rt = (await exchange(off, await loginWithPkce(off, { scope: FULL }))).refresh_token!;
        const { url } = await settingsActionUrl(off, await appSessionToken(off, rt), "delete_account");
        const res = await new UserAgent().request(url);
        const to = new URL(res.headers.get("location")!);
        assert.equal(to.searchParams.get("error"), "invalid_request");
        assert.equal(to.searchParams.get("error_description"), "account deletion by end user is disabled");
        assert.equal((await off.server.ctx.storage.users.get(off.userId))!.disabled, false);
      } finally {
        await off.server.close();
      }
    });
  });
}
