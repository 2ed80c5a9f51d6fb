// secondary_authentication_mode (disabled / if_exists / required) with second factors by emailed
// code, TOTP and password (after a passwordless first factor), over real HTTP and SMTP.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, UserAgent, openLogin, post, csrfOf, codeIn, finishAtApp, getPage, errorOf, submitLogin, totpNow, type AccountFixture } from "../account/fixture.ts";

describe("secondary_authentication_mode: required", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts({ authentication: { secondary_authentication_mode: "required", secondary_authenticators: ["oob_otp_email", "totp"] } });
    await f.server.createUser("req@example.com", "a-fine-password-1");
    await f.server.createUser("app@example.com", "a-fine-password-1");
  });
  after(async () => { await f.close(); });

  it("a user with no second factor sets up an emailed code at sign-in, and is asked for it next time", async () => {
    const agent = new UserAgent();
    const first = await submitLogin(f.server, agent, "req@example.com", "a-fine-password-1");
    assert.equal(first.headers.get("location"), "/login/mfa/setup");
    const setup = await getPage(agent, `${f.server.url}/login/mfa/setup`);
    assert.match(setup.html, /Get codes by email at r•••@example\.com/);
    const since = f.inbox.messages.length;
    const forged = await post(agent, `${f.server.url}/login/mfa/setup/send`, { csrf: csrfOf(setup.html), channel: "email", target: "attacker@example.com" });
    assert.equal(forged.status, 400, "only the account's own email may be set up");
    const sent = await post(agent, `${f.server.url}/login/mfa/setup/send`, { csrf: csrfOf(setup.html), channel: "email", target: "req@example.com" });
    assert.equal(sent.status, 200);
    const code = codeIn(await f.inbox.next("req@example.com", { since }));
    const done = await post(agent, `${f.server.url}/login/mfa/setup/code`, { csrf: csrfOf(setup.html), channel: "email", target: "req@example.com", code });
    const tokens = await finishAtApp(f.server, agent, done);
    assert.deepEqual(tokens.claims.amr, ["pwd", "otp", "mfa"]);

    f.server.advance(61);
    const again = new UserAgent();
    const second = await submitLogin(f.server, again, "req@example.com", "a-fine-password-1");
    assert.equal(second.headers.get("location"), "/login/mfa");
    const chooser = await getPage(again, `${f.server.url}/login/mfa`);
    const id = /name="id" value="([^"]+)"/.exec(chooser.html)![1];
    const since2 = f.inbox.messages.length;
    const page = await post(again, `${f.server.url}/login/mfa/send`, { csrf: csrfOf(chooser.html), id });
    assert.equal(page.status, 200);
    const code2 = codeIn(await f.inbox.next("req@example.com", { since: since2 }));
    const skip = await post(again, `${f.server.url}/login/mfa/setup/totp/done`, { csrf: csrfOf(chooser.html) });
    assert.equal(skip.status, 400, "no app was set up in this login: no way round the code");
    const ok = await post(again, `${f.server.url}/login/mfa/code`, { csrf: csrfOf(chooser.html), id, code: code2 });
    assert.deepEqual((await finishAtApp(f.server, again, ok)).claims.amr, ["pwd", "otp", "mfa"]);
  });

  it("or sets up an authenticator app at sign-in and sees the recovery codes", async () => {
    const agent = new UserAgent();
    const first = await submitLogin(f.server, agent, "app@example.com", "a-fine-password-1");
    assert.equal(first.headers.get("location"), "/login/mfa/setup");
    const setup = await getPage(agent, `${f.server.url}/login/mfa/setup/totp`);
    const secret = /<code class="secret" id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup.html)![1].replace(/ /g, "");
    const codes = await post(agent, `${f.server.url}/login/mfa/setup/totp`, { csrf: csrfOf(setup.html), code: await totpNow(secret, f.server.ctx.now()) });
    assert.equal(codes.status, 200);
    assert.equal((await codes.text()).match(/<li><code>/g)?.length, 10);
    const done = await post(agent, `${f.server.url}/login/mfa/setup/totp/done`, { csrf: csrfOf(setup.html) });
    assert.deepEqual((await finishAtApp(f.server, agent, done)).claims.amr, ["pwd", "otp", "mfa"]);
  });
});

describe("secondary_authentication_mode: disabled and if_exists; the password as a second factor", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts({
      identity: { login_id: { keys: [{ type: "email" }] } },
      authentication: { primary_authenticators: ["oob_otp_email", "password"], secondary_authenticators: ["password"], secondary_authentication_mode: "if_exists" },
    });
    await f.server.createUser("pw@example.com", "a-fine-password-1");
  });
  after(async () => { await f.close(); });

  it("if_exists: a code first, then the password the account has (amr otp pwd mfa); a wrong one is refused", async () => {
    const agent = new UserAgent();
    const { flow } = await openLogin(f.server, agent);
    const start = await getPage(agent, `${f.server.url}/login/otp?flow=${flow}`);
    const since = f.inbox.messages.length;
    await post(agent, `${f.server.url}/login/otp`, { csrf: csrfOf(start.html), flow, login_id: "pw@example.com" });
    const code = codeIn(await f.inbox.next("pw@example.com", { since }));
    const after1 = await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(start.html), code });
    assert.equal(after1.headers.get("location"), "/login/mfa");
    const chooser = await getPage(agent, `${f.server.url}/login/mfa`);
    const wrong = await post(agent, `${f.server.url}/login/mfa/password`, { csrf: csrfOf(chooser.html), password: "not-the-password" });
    assert.equal(wrong.status, 401);
    assert.equal(errorOf(await wrong.text()), "That password is incorrect.");
    const ok = await post(agent, `${f.server.url}/login/mfa/password`, { csrf: csrfOf(chooser.html), password: "a-fine-password-1" });
    assert.deepEqual((await finishAtApp(f.server, agent, ok)).claims.amr, ["otp", "pwd", "mfa"]);
  });

  it("the password first asks for no second password", async () => {
    const agent = new UserAgent();
    const res = await submitLogin(f.server, agent, "pw@example.com", "a-fine-password-1");
    assert.deepEqual((await finishAtApp(f.server, agent, res)).claims.amr, ["pwd"]);
  });

  it("disabled: a TOTP user is not asked for it", async () => {
    const g = await setupAccounts({ authentication: { secondary_authentication_mode: "disabled" } });
    try {
      const id = await g.server.createUser("t@example.com", "a-fine-password-1");
      await g.server.ctx.storage.totp.putPending({ userId: id, secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", createdAt: 0, confirmedAt: null, lastUsedStep: 0 });
      await g.server.ctx.storage.totp.confirm(id, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1, 0);
      const agent = new UserAgent();
      const res = await submitLogin(g.server, agent, "t@example.com", "a-fine-password-1");
      assert.deepEqual((await finishAtApp(g.server, agent, res)).claims.amr, ["pwd"]);
    } finally {
      await g.close();
    }
  });
});

describe("settings: adding an email as a second factor (if_exists)", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts({ authentication: { secondary_authenticators: ["totp", "oob_otp_email"] } });
    await f.server.createUser("set@example.com", "a-fine-password-1");
  });
  after(async () => { await f.close(); });

  it("proves the email with a code, then sign-in asks for a code; removing it stops that", async () => {
    const agent = new UserAgent();
    await finishAtApp(f.server, agent, await submitLogin(f.server, agent, "set@example.com", "a-fine-password-1"));
    const settings = await getPage(agent, `${f.server.url}/settings`);
    assert.match(settings.html, /href="\/settings\/second-factors"/);
    const page = await getPage(agent, `${f.server.url}/settings/second-factors`);
    const since = f.inbox.messages.length;
    const forged = await post(agent, `${f.server.url}/settings/second-factors/send`, { csrf: csrfOf(page.html), channel: "email", target: "other@example.com" });
    assert.equal(forged.status, 303, "not the account's own email: nothing sent");
    const sent = await post(agent, `${f.server.url}/settings/second-factors/send`, { csrf: csrfOf(page.html), channel: "email", target: "set@example.com" });
    assert.equal(sent.status, 200);
    const code = codeIn(await f.inbox.next("set@example.com", { since }));
    const added = await post(agent, `${f.server.url}/settings/second-factors/code`, { csrf: csrfOf(page.html), channel: "email", target: "set@example.com", code });
    assert.equal(added.status, 303);
    const listed = await getPage(agent, `${f.server.url}/settings/second-factors`);
    assert.match(listed.html, /s•••@example\.com/);

    const other = new UserAgent();
    const login = await submitLogin(f.server, other, "set@example.com", "a-fine-password-1");
    assert.equal(login.headers.get("location"), "/login/mfa");

    const id = /name="id" value="([^"]+)"/.exec(listed.html)![1];
    assert.equal((await post(agent, `${f.server.url}/settings/second-factors/remove`, { csrf: csrfOf(listed.html), id })).status, 303);
    const third = new UserAgent();
    const plain = await submitLogin(f.server, third, "set@example.com", "a-fine-password-1");
    assert.deepEqual((await finishAtApp(f.server, third, plain)).claims.amr, ["pwd"]);
  });
});
