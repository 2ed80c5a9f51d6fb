// The settings page's sessions, served by session/user-sessions.ts (as the admin API is): the list,
// signing one out, and "sign out everywhere else", which keeps this browser and its app.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, UserAgent, post, csrfOf, finishAtApp, getPage, submitLogin, type AccountFixture } from "./fixture.ts";

describe("settings: where you're signed in", () => {
  let f: AccountFixture;
  const EMAIL = "sal@example.com";
  const PASSWORD = "sals-password-123";
  before(async () => {
    f = await setupAccounts();
    await f.server.createUser(EMAIL, PASSWORD);
  });
  after(async () => { await f.close(); });

  async function browser(): Promise<{ agent: UserAgent; token: string }> {
    const agent = new UserAgent();
    const tokens = await finishAtApp(f.server, agent, await submitLogin(f.server, agent, EMAIL, PASSWORD));
    return { agent, token: tokens.access_token };
  }
  const userinfo = async (token: string): Promise<number> => (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status;

  it("signs out everywhere else: this browser and the app it signed in stay, the rest ends", async () => {
    const here = await browser();
    const phone = await browser();
    const laptop = await browser();
    const page = await getPage(here.agent, `${f.server.url}/settings`);
    assert.equal(page.status, 200);
    assert.equal((page.html.match(/<li/g) ?? []).filter(Boolean).length >= 6, true, "three browsers and three apps are listed");
    assert.match(page.html, /This browser/);
    assert.match(page.html, /Sign out everywhere else/);

    const res = await post(here.agent, `${f.server.url}/settings/sessions/revoke-others`, { csrf: csrfOf(page.html) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/settings?notice=revoked_others");

    const after = await getPage(here.agent, `${f.server.url}/settings?notice=revoked_others`);
    assert.equal(after.status, 200);
    assert.match(after.html, /signed out everywhere else/);
    assert.doesNotMatch(after.html, /Sign out everywhere else/, "nothing else is left to sign out");
    assert.equal(await userinfo(here.token), 200);
    for (const other of [phone, laptop]) {
      assert.equal(await userinfo(other.token), 401);
      const settings = await other.agent.request(`${f.server.url}/settings`);
      assert.equal(settings.status, 303, "the other browsers are signed out");
    }
  });

  it("refuses the form without its CSRF token", async () => {
    const here = await browser();
    const other = await browser();
    const res = await post(here.agent, `${f.server.url}/settings/sessions/revoke-others`, {});
    assert.ok(res.status >= 400 && res.status < 500);
    assert.equal(await userinfo(other.token), 200);
  });
});
