// TOTP and recovery codes: set up in settings, then used at login; amr in tokens and the resolver;
// the pending state between steps is bound to the browser, short-lived and single-use; lockout.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { newTotpSecret } from "../../src/account/mfa/totp.ts";
import { setupAccounts, UserAgent, post, csrfOf, finishAtApp, getPage, errorOf, submitLogin, totpNow, type AccountFixture } from "./fixture.ts";

describe("two-step verification", () => {
  let f: AccountFixture;
  let secret = "";
  let recovery: string[] = [];
  const EMAIL = "tom@example.com";
  const PASSWORD = "toms-password-123";
  const code = (): Promise<string> => totpNow(secret, f.server.ctx.now());
  /** Each TOTP time step is accepted once: move to the next one before using another code. */
  const nextStep = (): void => f.server.advance(30);

  before(async () => {
    f = await setupAccounts();
    await f.server.createUser(EMAIL, PASSWORD);
  });
  after(async () => { await f.close(); });

  async function signedIn(): Promise<UserAgent> {
    const agent = new UserAgent();
    const res = await submitLogin(f.server, agent, EMAIL, PASSWORD);
    await finishAtApp(f.server, agent, res);
    return agent;
  }

  it("turns TOTP on from settings with a QR code, the key as text, a confirming code, and 10 recovery codes", async () => {
    const agent = await signedIn();
    const settings = await getPage(agent, `${f.server.url}/settings`);
    assert.match(settings.html, /Off: add a code from an authenticator app/);
    const setup = await getPage(agent, `${f.server.url}/settings/totp`);
    assert.match(setup.html, /<img class="qr" src="data:image\/svg\+xml;base64,/);
    secret = /<code class="secret" id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(setup.html)![1].replace(/ /g, "");
    const wrong = await post(agent, `${f.server.url}/settings/totp`, { csrf: csrfOf(setup.html), code: "000000" === (await code()) ? "000001" : "000000" });
    assert.equal(wrong.status, 400);
    const ok = await post(agent, `${f.server.url}/settings/totp`, { csrf: csrfOf(setup.html), code: await code() });
    const html = await ok.text();
    recovery = [...html.matchAll(/<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(recovery.length, 10);
    assert.equal(new Set(recovery).size, 10);
    const after = await getPage(agent, `${f.server.url}/settings`);
    assert.match(after.html, /On: sign-ins ask for a code/);
    assert.match(after.html, /10 of 10 recovery codes left/);
    assert.doesNotMatch(after.html, new RegExp(recovery[0]), "codes are shown once");
    const stored = await f.server.ctx.storage.totp.get((await f.server.ctx.storage.users.findByEmail(EMAIL))!.id);
    assert.ok(stored?.confirmedAt);
  });

  it("asks for the TOTP code after the password; amr is pwd+otp+mfa; a code is accepted once", async () => {
    nextStep();
    const agent = new UserAgent();
    const first = await submitLogin(f.server, agent, EMAIL, PASSWORD);
    assert.equal(first.headers.get("location"), "/login/totp");
    assert.equal(agent.cookies.has("session"), false, "no session before the second factor");
    const page = await getPage(agent, `${f.server.url}/login/totp`);
    assert.match(page.html, /enter the 6-digit code for tom@example\.com/);
    const now = await code();
    const tokens = await finishAtApp(f.server, agent, await post(agent, `${f.server.url}/login/totp`, { csrf: csrfOf(page.html), code: now }));
    assert.deepEqual(tokens.claims.amr, ["pwd", "otp", "mfa"]);
    const resolved = await fetch(`${f.server.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(resolved.headers.get("x-authgear-session-amr"), "pwd otp mfa");

    const other = new UserAgent();
    await submitLogin(f.server, other, EMAIL, PASSWORD);
    const otherPage = await getPage(other, `${f.server.url}/login/totp`);
    const replay = await post(other, `${f.server.url}/login/totp`, { csrf: csrfOf(otherPage.html), code: now });
    assert.equal(replay.status, 401, "the same code (same time step) does not work twice");
    assert.equal(errorOf(await replay.text()), "That code was already used. Wait for your authenticator app to show a new code, then enter it.");
    const empty = await post(other, `${f.server.url}/login/totp`, { csrf: csrfOf(otherPage.html), code: "" });
    assert.equal(empty.status, 400);
    assert.equal(errorOf(await empty.text()), "Enter the 6-digit code.");
  });

  it("accepts a recovery code instead, once; amr is pwd+x_recovery_code+mfa", async () => {
    const agent = new UserAgent();
    await submitLogin(f.server, agent, EMAIL, PASSWORD);
    const page = await getPage(agent, `${f.server.url}/login/recovery`);
    assert.match(page.html, /Use your authenticator app instead/);
    const tokens = await finishAtApp(f.server, agent, await post(agent, `${f.server.url}/login/recovery`, { csrf: csrfOf(page.html), recovery_code: recovery[0].toLowerCase() }));
    assert.deepEqual(tokens.claims.amr, ["pwd", "x_recovery_code", "mfa"]);
    const again = new UserAgent();
    await submitLogin(f.server, again, EMAIL, PASSWORD);
    const p2 = await getPage(again, `${f.server.url}/login/recovery`);
    const used = await post(again, `${f.server.url}/login/recovery`, { csrf: csrfOf(p2.html), recovery_code: recovery[0] });
    assert.equal(used.status, 401);
    assert.equal(errorOf(await used.text()), "That recovery code is incorrect or has been used.");
  });

  it("binds the pending step to the browser, for 5 minutes, once", async () => {
    const agent = new UserAgent();
    await submitLogin(f.server, agent, EMAIL, PASSWORD);
    const page = await getPage(agent, `${f.server.url}/login/totp`);
    const thief = new UserAgent();
    thief.cookies.set("gh_csrf", agent.cookies.get("gh_csrf")!);
    nextStep();
    const stolen = await post(thief, `${f.server.url}/login/totp`, { csrf: csrfOf(page.html), code: await code() });
    assert.equal(stolen.status, 400, "another browser has no pending login");
    const forged = agent.cookies.get("gh_pending")!.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    thief.cookies.set("gh_pending", forged);
    assert.equal((await post(thief, `${f.server.url}/login/totp`, { csrf: csrfOf(page.html), code: await code() })).status, 400, "a forged secret is refused");

    const done = await post(agent, `${f.server.url}/login/totp`, { csrf: csrfOf(page.html), code: await code() });
    assert.equal(done.status, 303);
    const pending = done.headers.getSetCookie().find((c) => c.startsWith("gh_pending="));
    assert.match(pending ?? "", /Expires=Thu, 01 Jan 1970/, "the pending cookie is cleared");
    thief.cookies.set("gh_pending", agent.cookies.get("gh_pending") ?? forged);

    const slow = new UserAgent();
    await submitLogin(f.server, slow, EMAIL, PASSWORD);
    const slowPage = await getPage(slow, `${f.server.url}/login/totp`);
    const saved = slow.cookies.get("gh_pending")!;
    f.server.advance(301);
    slow.cookies.set("gh_pending", saved);
    assert.equal((await post(slow, `${f.server.url}/login/totp`, { csrf: csrfOf(slowPage.html), code: await code() })).status, 400, "expired after 5 minutes");
  });

  it("manages recovery codes, the password and TOTP from settings", async () => {
    nextStep();
    const agent = new UserAgent();
    await submitLogin(f.server, agent, EMAIL, PASSWORD);
    const step = await getPage(agent, `${f.server.url}/login/totp`);
    await finishAtApp(f.server, agent, await post(agent, `${f.server.url}/login/totp`, { csrf: csrfOf(step.html), code: await code() }));
    const settings = await getPage(agent, `${f.server.url}/settings`);
    const csrf = csrfOf(settings.html);
    assert.match(settings.html, /9 of 10 recovery codes left/);
    nextStep();
    const regen = await post(agent, `${f.server.url}/settings/recovery-codes`, { csrf, code: await code() });
    assert.equal(regen.status, 200);
    const fresh = [...(await regen.text()).matchAll(/<li><code>([0-9A-Z-]{11})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(fresh.length, 10);
    assert.match((await getPage(agent, `${f.server.url}/settings`)).html, /10 of 10 recovery codes left/);

    const wrongCurrent = await post(agent, `${f.server.url}/settings/password`, { csrf, current: "not-my-password", new_password: "toms-new-password", confirm: "toms-new-password" });
    assert.equal(wrongCurrent.status, 400);
    assert.match(await wrongCurrent.text(), /Your current password is incorrect/);
    const changed = await post(agent, `${f.server.url}/settings/password`, { csrf, current: PASSWORD, new_password: "toms-new-password", confirm: "toms-new-password" });
    assert.equal(changed.headers.get("location"), "/settings?notice=password");

    const off = await post(agent, `${f.server.url}/settings/totp/disable`, { csrf, proof: "toms-new-password" });
    assert.equal(off.headers.get("location"), "/settings?notice=mfa_off");
    const plain = new UserAgent();
    const tokens = await finishAtApp(f.server, plain, await submitLogin(f.server, plain, EMAIL, "toms-new-password"));
    assert.deepEqual(tokens.claims.amr, ["pwd"]);
  });

  it("locks the account after 6 wrong TOTP codes, with the same message as the password step", async () => {
    await f.server.createUser("lock@example.com", "locks-password-1");
    const userId = (await f.server.ctx.storage.users.findByEmail("lock@example.com"))!.id;
    const lockSecret = newTotpSecret();
    await f.server.ctx.storage.totp.putPending({ userId, secret: lockSecret, createdAt: 0, confirmedAt: null, lastUsedStep: 0 });
    await f.server.ctx.storage.totp.confirm(userId, lockSecret, 1, 1);
    const agent = new UserAgent();
    await submitLogin(f.server, agent, "lock@example.com", "locks-password-1");
    const page = await getPage(agent, `${f.server.url}/login/totp`);
    const statuses: number[] = [];
    const right = await totpNow(lockSecret, f.server.ctx.now());
    const wrong = (i: number): string => String((Number(right) + 500_000 + i) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 7; i++) statuses.push((await post(agent, `${f.server.url}/login/totp`, { csrf: csrfOf(page.html), code: wrong(i) })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429]);
    const login = await submitLogin(f.server, new UserAgent(), "lock@example.com", "locks-password-1");
    assert.equal(login.status, 429, "the password step is locked too: one lockout per account");
    assert.equal(errorOf(await login.text()), "Too many failed attempts. Wait a few minutes and try again.");
    f.server.advance(301);
    assert.equal((await submitLogin(f.server, new UserAgent(), "lock@example.com", "locks-password-1")).status, 303, "the lock ends");
  });
});
