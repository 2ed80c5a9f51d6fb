// The add_/change_ email, phone and username settings actions over HTTP, on both databases: each
// page changes exactly one login ID of its user and sends the code back to the app, which the
// settings-action grant redeems (200 {}); a new primary email is proved by a code first; another
// user's session, a taken login ID, a foreign identity, modify_disabled and unknown actions change nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import * as oidc from "openid-client";
import { setup, postToken, PASSWORD, EMAIL, type Fixture } from "../oauth/fixture.ts";
import { SPA_CLIENT } from "../support/server.ts";
import { testDatabases } from "../support/databases.ts";
import { UserAgent } from "../support/user-agent.ts";
import { startInbox, codeIn, type Inbox } from "../account/fixture.ts";
import { appSessionToken, settingsActionUrl } from "./fixture.ts";
import { addLoginId } from "../../src/identity/service.ts";
import { actionQueryLoginId } from "../../src/settings-surface/login-id-actions.ts";

const FULL = "openid offline_access https://authgear.com/scopes/full-access";
const GRANT = "urn:authgear:params:oauth:grant-type:settings-action";
const KEYS = [{ type: "email" }, { type: "phone" }, { type: "username" }];

/** The SPA client's code flow, signing in with the combined login-ID field; returns the refresh token. */
async function refreshTokenFor(f: Fixture, loginId: string): Promise<string> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(f.spa, { redirect_uri: SPA_CLIENT.redirect_uris[0], scope: FULL, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256", state });
  const agent = new UserAgent();
  const first = await agent.follow(url.toString(), f.server.url);
  const done = await agent.submitForm(first.url, await first.response.text(), { login_id: loginId, password: PASSWORD }, f.server.url);
  const tokens = await oidc.authorizationCodeGrant(f.spa, new URL(done.url), { pkceCodeVerifier: verifier, expectedState: state });
  return tokens.refresh_token!;
}

for (const db of testDatabases()) {
  describe(`login-ID settings actions (${db.name})`, { skip: db.skip }, () => {
    let f: Fixture;
    let inbox: Inbox;
    before(async () => {
      inbox = await startInbox();
      f = await setup({ databaseUrl: db.url, config: {
        identity: { login_id: { keys: KEYS } },
        messaging: { smtp: { host: "127.0.0.1", port: inbox.port, from: "Gatehouse <no-reply@gatehouse.test>" } },
      } });
    });
    after(async () => {
      await f?.server.close();
      await inbox?.close();
      await db.drop();
    });
    const ctx = () => f.server.ctx;
    const loginIds = async (userId: string) => (await ctx().storage.identities.listByUser(userId)).filter((i) => i.type === "login_id").map((i) => `${i.loginIdType}:${i.loginId}`).sort();

    /** Starts an action as the SDK does: the agent is on the action's page. */
    async function start(loginId: string, action: string, extra: Record<string, string> = {}) {
      const s = await settingsActionUrl(f, await appSessionToken(f, await refreshTokenFor(f, loginId)), action, extra);
      const agent = new UserAgent();
      const res = await agent.request(s.url);
      assert.equal(res.status, 302);
      const page = new URL(res.headers.get("location")!, f.server.url);
      return { agent, page, verifier: s.verifier, html: await (await agent.request(page.toString())).text() };
    }
    const redeem = (code: string, verifier: string) =>
      postToken(f, { grant_type: GRANT, client_id: SPA_CLIENT.client_id, code, redirect_uri: SPA_CLIENT.redirect_uris[0], code_verifier: verifier });

    it("add_phone: adds the number, only for its user, refuses a taken one, returns the code; the grant answers {}", async () => {
      const other = await f.server.createUser("other@example.com", PASSWORD);
      assert.ok((await addLoginId(ctx(), (await ctx().storage.users.get(other))!, "phone", "+85261234567")).ok);
      const { agent, page, verifier, html } = await start(EMAIL, "add_phone");
      assert.equal(page.pathname, "/settings/add_phone");
      assert.match(html, /<label for="login_id">New phone number<\/label>/);

      // Someone else's session, and no session, get nothing.
      const mallory = new UserAgent();
      await mallory.submitForm(`${f.server.url}/login`, await (await mallory.follow(`${f.server.url}/login`, f.server.url)).response.text(), { login_id: "other@example.com", password: PASSWORD }, f.server.url);
      assert.ok(mallory.cookies.has("session"));
      assert.equal((await mallory.request(page.toString())).status, 400);
      // Posting the user's form with her own cookie: its CSRF token is not hers.
      assert.equal((await mallory.submitForm(page.toString(), html, { login_id: "+85291234567" }, f.server.url)).response.status, 403);
      assert.equal((await new UserAgent().request(page.toString())).status, 403);

      const before = await loginIds(f.userId);
      const invalid = await agent.submitForm(page.toString(), html, { login_id: "not a phone" }, f.server.url);
      assert.equal(invalid.response.status, 400);
      const taken = await agent.submitForm(page.toString(), await invalid.response.text(), { login_id: "+852 6123 4567" }, f.server.url);
      assert.equal(taken.response.status, 409);
      assert.match(await taken.response.text(), /Another account already uses this phone number/);
      assert.deepEqual(await loginIds(f.userId), before, "nothing changed");

      const done = await agent.submitForm(page.toString(), html, { login_id: "+852 9123 4567" }, f.server.url);
      const code = new URL(done.url).searchParams.get("code")!;
      assert.ok(code, done.url);
      assert.deepEqual(await loginIds(f.userId), [...before, "phone:+85291234567"].sort());
      assert.equal((await ctx().storage.auditLog.list({ limit: 5, targetId: f.userId, action: "identity.phone.added" })).items.length, 1, "audited");
      const ok = await redeem(code, verifier);
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, {});
      assert.equal((await agent.request(page.toString())).status, 400, "finished");
    });

    it("change_username: replaces the one named by x_settings_action_query, never another user's", async () => {
      const userId = await f.server.createUser("renamer@example.com", PASSWORD);
      const user = (await ctx().storage.users.get(userId))!;
      assert.ok((await addLoginId(ctx(), user, "username", "old_name")).ok);
      const foreign = await addLoginId(ctx(), (await ctx().storage.users.get(f.userId))!, "username", "alice_name");
      assert.ok(foreign.ok);
      const { agent, page, verifier, html } = await start("renamer@example.com", "change_username", { x_settings_action_query: JSON.stringify({ q_login_id: "old_name" }) });
      assert.equal(page.searchParams.get("q_login_id"), "old_name");
      const mine = (await ctx().storage.identities.listByUser(userId)).find((i) => i.loginIdType === "username")!;
      assert.match(html, new RegExp(`<option value="${mine.id}" selected>old_name</option>`));
      // Another user's identity id is not one this page may change.
      const hostile = await agent.submitForm(page.toString(), html, { identity_id: foreign.ok ? foreign.identity.id : "", login_id: "stolen" }, f.server.url);
      assert.equal(hostile.response.status, 400);
      assert.ok(await ctx().storage.identities.findByLoginId("username", "alice_name"), "untouched");
      const dup = await agent.submitForm(page.toString(), html, { identity_id: mine.id, login_id: "Alice_Name" }, f.server.url);
      assert.equal(dup.response.status, 409);
      const done = await agent.submitForm(page.toString(), html, { identity_id: mine.id, login_id: "new_name" }, f.server.url);
      const code = new URL(done.url).searchParams.get("code")!;
      assert.ok(code, done.url);
      assert.deepEqual(await loginIds(userId), ["email:renamer@example.com", "username:new_name"]);
      assert.deepEqual((await redeem(code, verifier)).body, {});
    });

    it("change_email of the primary email: a code to the new address first, then the email and login ID move", async () => {
      const userId = await f.server.createUser("mover@example.com", PASSWORD);
      // @authgear/web URL-encodes the query object.
      const { agent, page, verifier, html } = await start("mover@example.com", "change_email", { x_settings_action_query: "q_login_id=mover%40example.com" });
      const old = (await ctx().storage.identities.listByUser(userId)).find((i) => i.loginIdType === "email")!;
      assert.match(html, /selected>mover@example\.com</);
      const since = inbox.messages.length;
      const step = await agent.submitForm(page.toString(), html, { identity_id: old.id, login_id: "Moved@Example.com" }, f.server.url);
      assert.equal(step.response.status, 200);
      const codeHtml = await step.response.text();
      assert.match(codeHtml, /We sent a 6-digit code to moved@example\.com/);
      const mail = await inbox.next("moved@example.com", { since });
      assert.deepEqual(await loginIds(userId), ["email:mover@example.com"], "nothing changes before the code");
      const wrong = await agent.submitForm(page.toString(), codeHtml, { code: codeIn(mail) === "000000" ? "111111" : "000000" }, f.server.url);
      assert.equal(wrong.response.status, 400);
      // The code proves that address only: swapping the hidden value for another fails.
      const swapped = await agent.submitForm(page.toString(), codeHtml.replace('value="moved@example.com"', 'value="elsewhere@example.com"'), { code: codeIn(mail) }, f.server.url);
      assert.equal(swapped.response.status, 400);
      assert.equal((await ctx().storage.users.get(userId))!.email, "mover@example.com");
      const done = await agent.submitForm(page.toString(), codeHtml, { code: codeIn(mail) }, f.server.url);
      const code = new URL(done.url).searchParams.get("code")!;
      assert.ok(code, done.url);
      const moved = (await ctx().storage.users.get(userId))!;
      assert.equal(moved.email, "moved@example.com");
      assert.equal(moved.isVerified, true);
      assert.deepEqual(await loginIds(userId), ["email:moved@example.com"]);
      assert.equal((await ctx().storage.auditLog.list({ limit: 5, targetId: userId, action: "identity.email.updated" })).items.length, 1, "audited");
      assert.deepEqual((await redeem(code, verifier)).body, {});
    });

    it("refuses unknown actions, unconfigured or modify_disabled types, and parses x_settings_action_query defensively", async () => {
      const rt = await refreshTokenFor(f, EMAIL);
      for (const [action, description] of [["add_fax", "invalid settings action"]]) {
        const res = await new UserAgent().request((await settingsActionUrl(f, await appSessionToken(f, rt), action)).url);
        assert.equal(new URL(res.headers.get("location")!).searchParams.get("error_description"), description);
      }
      const locked = await setup({ databaseUrl: undefined, config: { identity: { login_id: { keys: [{ type: "email" }, { type: "username", modify_disabled: true }] } } } });
      try {
        const lockedRt = await refreshTokenFor(locked, EMAIL);
        for (const action of ["add_username", "change_username", "add_phone", "change_phone"]) {
          const res = await new UserAgent().request((await settingsActionUrl(locked, await appSessionToken(locked, lockedRt), action)).url);
          const to = new URL(res.headers.get("location")!);
          assert.equal(to.searchParams.get("error"), "invalid_request", action);
          assert.equal(to.searchParams.get("error_description"), `settings action ${action} is not available on this server`);
        }
      } finally {
        await locked.server.close();
      }
      assert.equal(actionQueryLoginId('{"q_login_id": "a@b.c"}'), "a@b.c");
      assert.equal(actionQueryLoginId("q_login_id=a%40b.c&x=1"), "a@b.c");
      for (const bad of ["{", '{"q_login_id": 5}', "[]", "", "x".repeat(3000)]) assert.equal(actionQueryLoginId(bad), null, bad);
    });
  });
}
