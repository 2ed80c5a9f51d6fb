// A login with SSO off (x_sso_enabled=false, what Authgear's SDKs send by default) leaves no ghost
// browser session: the session it makes is cookieless, not listed as a browser (only the app's
// grant is), and logging out of the app (revoking its refresh token) ends the session as well.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, SPA_CLIENT, type Fixture } from "../oauth/fixture.ts";
import { UserAgent } from "../support/user-agent.ts";
import { listUserSessions } from "../../src/session/user-sessions.ts";

describe("SSO-off logins leave no ghost browser sessions", () => {
  let f: Fixture;
  before(async () => { f = await setup(); });
  after(async () => { await f.server.close(); });

  const revoke = (token: string) => fetch(`${f.server.url}/oauth2/revoke`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, client_id: SPA_CLIENT.client_id }),
  });

  it("lists only the app's grant, and revoking its refresh token ends the whole login", async () => {
    const agent = new UserAgent();
    const tokens = await exchange(f, await loginWithPkce(f, { agent, extra: { x_sso_enabled: "false" } }));
    assert.equal(agent.cookies.has("session"), false);
    const stored = (await f.server.ctx.storage.sessions.listByUser(f.userId)).filter((s) => s.revokedAt === null);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].cookieless, true, "stored as a session no browser holds");

    const listed = await listUserSessions(f.server.ctx, f.userId);
    assert.deepEqual(listed.map((s) => s.kind), ["offline_grant"], "no browser session in settings or the admin API");
    assert.equal(listed[0].clientName, SPA_CLIENT.name);

    assert.equal((await revoke(tokens.refresh_token!)).status, 200);
    const after = await f.server.ctx.storage.sessions.get(stored[0].id);
    assert.ok(after?.revokedAt, "the login's session ended with the app's logout");
    assert.deepEqual(await listUserSessions(f.server.ctx, f.userId), []);
  });

  it("keeps an SSO-on login's browser session when one app's grant is revoked", async () => {
    const agent = new UserAgent();
    const tokens = await exchange(f, await loginWithPkce(f, { agent }));
    assert.ok(agent.cookies.has("session"));
    const listed = await listUserSessions(f.server.ctx, f.userId);
    assert.deepEqual(listed.map((s) => s.kind).sort(), ["idp_session", "offline_grant"]);
    await revoke(tokens.refresh_token!);
    const left = await listUserSessions(f.server.ctx, f.userId);
    assert.deepEqual(left.map((s) => s.kind), ["idp_session"], "the browser stays signed in");
  });
});
