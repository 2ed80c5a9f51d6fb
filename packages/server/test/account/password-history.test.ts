// Authgear's history_size / history_days: a new password may not be a recent one, whichever way it is
// set — the settings page, a reset link, the admin API — and the store keeps no more than the window.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createAdminKey } from "../../src/admin/keys.ts";
import { setPassword } from "../../src/users/users.ts";
import { requestPasswordReset } from "../../src/account/reset/service.ts";
import { setupAccounts, UserAgent, post, csrfOf, getPage, errorOf, submitLogin, finishAtApp, linkIn, type AccountFixture } from "./fixture.ts";

const P1 = "first quiet meadow";
const P2 = "second quiet meadow";
const P3 = "third quiet meadow";

describe("password history (history_size: 2)", () => {
  let f: AccountFixture;
  let userId = "";
  const EMAIL = "lea@example.com";
  const user = async () => (await f.server.ctx.storage.users.get(userId))!;

  before(async () => {
    f = await setupAccounts({ authentication: { password_policy: { history_size: 2 } } });
    userId = await f.server.createUser(EMAIL, P1);
  });
  after(async () => { await f.close(); });

  it("refuses the current password on the settings page, and says why", async () => {
    const agent = new UserAgent();
    await finishAtApp(f.server, agent, await submitLogin(f.server, agent, EMAIL, P1));
    const settings = await getPage(agent, `${f.server.url}/settings`);
    const res = await post(agent, `${f.server.url}/settings/password`, { csrf: csrfOf(settings.html), current: P1, new_password: P1, confirm: P1 });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Choose a stronger password: it must not be one of your last 2 passwords\./);
  });

  it("forgets passwords that fall out of the window, and stores no more than it", async () => {
    assert.deepEqual(await setPassword(f.server.ctx, await user(), P2), { ok: true });
    assert.deepEqual(await setPassword(f.server.ctx, await user(), P1), { ok: false, rules: ["history"] }, "P1 is still one of the last 2");
    assert.deepEqual(await setPassword(f.server.ctx, await user(), P3), { ok: true });
    const kept = await f.server.ctx.storage.passwordHistory.recent(userId, { size: 100, since: 0 });
    assert.equal(kept.length, 2, "pruned to the window");
    assert.deepEqual(await setPassword(f.server.ctx, await user(), P1), { ok: true }, "P1 fell out: allowed again");
  });

  it("refuses a recent password through the admin API and a reset link", async () => {
    const { key } = await createAdminKey(f.server.ctx, "test");
    const res = await fetch(`${f.server.url}/_api/admin/users/${userId}/password`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ password: P3 }),
    });
    assert.equal(res.status, 400);
    assert.match(JSON.stringify(await res.json()), /not be one of your last 2 passwords/);

    const since = f.inbox.messages.length;
    await requestPasswordReset(f.server.ctx, { email: EMAIL, ip: "192.0.2.9" });
    const agent = new UserAgent();
    const page = await getPage(agent, linkIn(await f.inbox.next(EMAIL, { since })));
    const token = /name="token" value="([^"]+)"/.exec(page.html)![1];
    const reset = await post(agent, `${f.server.url}/reset`, { csrf: csrfOf(page.html), token, password: P1, confirm: P1 });
    assert.equal(reset.status, 400);
    assert.equal(errorOf(await reset.text()), "Choose a stronger password: it must not be one of your last 2 passwords.");
  });

  it("history_days: refuses what was set in the last N days (whole days, as Authgear counts), then allows it", async () => {
    const g = await setupAccounts({ authentication: { password_policy: { history_days: 1 } } });
    try {
      const id = await g.server.createUser("nia@example.com", P1);
      const u = async () => (await g.server.ctx.storage.users.get(id))!;
      assert.deepEqual(await setPassword(g.server.ctx, await u(), P2), { ok: true });
      assert.deepEqual(await setPassword(g.server.ctx, await u(), P1), { ok: false, rules: ["history"] });
      g.server.advance(2 * 86_400 + 1);
      assert.deepEqual(await setPassword(g.server.ctx, await u(), P1), { ok: true }, "two days later P1 is out of the window");
    } finally {
      await g.close();
    }
  });

  it("keeps no history when the policy does not ask for one", async () => {
    const g = await setupAccounts();
    try {
      const id = await g.server.createUser("max@example.com", P1);
      assert.deepEqual(await g.server.ctx.storage.passwordHistory.recent(id, { size: 100, since: 0 }), []);
      const u = (await g.server.ctx.storage.users.get(id))!;
      assert.deepEqual(await setPassword(g.server.ctx, u, P1), { ok: true }, "Authgear's default: no history check");
    } finally {
      await g.close();
    }
  });
});
