// The settings page's profile: the end user edits what user_profile makes `end_user: readwrite`,
// each value checked by the attributes module; readonly ones are shown, hidden ones are not.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, UserAgent, post, csrfOf, finishAtApp, getPage, submitLogin, errorOf, type AccountFixture } from "./fixture.ts";

const USER_PROFILE = {
  standard_attributes: { access_control: [{ pointer: "/nickname", access_control: { end_user: "readonly", bearer: "readonly", portal_ui: "readwrite" } }] },
  custom_attributes: {
    attributes: [
      { id: "a1", pointer: "/shoe_size", type: "integer", minimum: 20, maximum: 60, access_control: { end_user: "readwrite", bearer: "readonly", portal_ui: "readwrite" } },
      { id: "a2", pointer: "/tier", type: "enum", enum: ["gold", "silver"], access_control: { end_user: "readonly", bearer: "readonly", portal_ui: "readwrite" } },
      { id: "a3", pointer: "/risk", type: "number" },
    ],
  },
};

describe("settings: your profile", () => {
  let f: AccountFixture;
  let userId: string;
  const EMAIL = "pat@example.com";
  const PASSWORD = "pats-password-123";
  before(async () => {
    f = await setupAccounts({ user_profile: USER_PROFILE });
    userId = await f.server.createUser(EMAIL, PASSWORD);
    await f.server.ctx.storage.users.update(userId, { standardAttributes: { nickname: "Patty" }, customAttributes: { a2: "gold", a3: 0.7 } }, f.server.ctx.now());
  });
  after(async () => { await f.close(); });

  it("edits readwrite attributes, shows readonly ones, hides the rest; bad values are refused per attribute", async () => {
    const agent = new UserAgent();
    const tokens = await finishAtApp(f.server, agent, await submitLogin(f.server, agent, EMAIL, PASSWORD));
    const page = await getPage(agent, `${f.server.url}/settings/profile`);
    assert.equal(page.status, 200);
    for (const name of ["sa_given_name", "sa_birthdate", "sa_zoneinfo", "ca_shoe_size"]) assert.match(page.html, new RegExp(`name="${name}"`), name);
    assert.doesNotMatch(page.html, /name="sa_nickname"|name="ca_tier"|name="ca_risk"|name="sa_website"/, "readonly, hidden and default-hidden ones are no fields");
    assert.match(page.html, /Patty/);
    assert.match(page.html, /gold/);
    assert.doesNotMatch(page.html, /0\.7/, "risk is hidden from the end user");

    const bad = await post(agent, `${f.server.url}/settings/profile`, { csrf: csrfOf(page.html), sa_given_name: "Pat", sa_birthdate: "31/12/1990", ca_shoe_size: "99", sa_zoneinfo: "" });
    assert.equal(bad.status, 400);
    const message = errorOf(await bad.text()) ?? "";
    assert.match(message, /birthdate: must be YYYY-MM-DD/);
    assert.match(message, /shoe_size: must be at most 60/);
    assert.deepEqual((await f.server.ctx.storage.users.get(userId))!.standardAttributes, { nickname: "Patty" }, "nothing applied");

    const ok = await post(agent, `${f.server.url}/settings/profile`, { csrf: csrfOf(page.html), sa_given_name: "Pat", sa_birthdate: "1990-12-31", ca_shoe_size: "43", sa_zoneinfo: "Asia/Hong_Kong" });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/settings/profile?notice=saved");
    const user = (await f.server.ctx.storage.users.get(userId))!;
    assert.deepEqual(user.standardAttributes, { nickname: "Patty", given_name: "Pat", birthdate: "1990-12-31", zoneinfo: "Asia/Hong_Kong" });
    assert.deepEqual(user.customAttributes, { a1: 43, a2: "gold", a3: 0.7 });
    // The app sees the bearer-readable custom attributes on its next userinfo.
    const info = await (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
    assert.deepEqual(info.custom_attributes, { shoe_size: 43, tier: "gold" });

    // Emptying a field removes the attribute; a readonly one cannot be smuggled in.
    const again = await getPage(agent, `${f.server.url}/settings/profile?notice=saved`);
    assert.match(again.html, /Your profile was saved/);
    assert.equal((await post(agent, `${f.server.url}/settings/profile`, { csrf: csrfOf(again.html), sa_given_name: "", sa_birthdate: "1990-12-31", ca_shoe_size: "43", sa_zoneinfo: "Asia/Hong_Kong" })).status, 303);
    assert.equal((await f.server.ctx.storage.users.get(userId))!.standardAttributes.given_name, undefined);
    assert.equal((await post(agent, `${f.server.url}/settings/profile`, { csrf: csrfOf(again.html), ca_tier: "silver" })).status, 303);
    const after = (await f.server.ctx.storage.users.get(userId))!;
    assert.equal(after.customAttributes.a2, "gold", "a readonly attribute is no field: ignored");
    assert.equal(after.standardAttributes.birthdate, "1990-12-31", "fields not sent are left as they are");
  });

  it("needs the session cookie and the CSRF token", async () => {
    const anonymous = new UserAgent();
    assert.equal((await anonymous.request(`${f.server.url}/settings/profile`)).status, 303);
    const agent = new UserAgent();
    await finishAtApp(f.server, agent, await submitLogin(f.server, agent, EMAIL, PASSWORD));
    assert.equal((await post(agent, `${f.server.url}/settings/profile`, { sa_given_name: "Mallory" })).status, 403);
    assert.equal((await f.server.ctx.storage.users.get(userId))!.standardAttributes.given_name, undefined);
  });
});
