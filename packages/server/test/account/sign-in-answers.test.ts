// What the person signing in is told: a disabled account (only after the right password, not
// counted toward lockout), what an empty form is missing, why a password is refused, and where to
// go after signing out.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { lockoutKey } from "../../src/account/limits/guard.ts";
import { startTestServer } from "../support/server.ts";
import { setupAccounts, UserAgent, post, csrfOf, getPage, errorOf, submitLogin, openLogin, finishAtApp, type AccountFixture } from "./fixture.ts";

describe("what the sign-in pages say", () => {
  let f: AccountFixture;
  const PASSWORD = "right-horse-battery";

  before(async () => {
    f = await setupAccounts({ authentication: { lockout: { max_attempts: 3 } } });
  });
  after(async () => { await f.close(); });

  /** The lockout record as stored (an update that changes nothing reads it). */
  const lockoutOf = (email: string) => f.server.ctx.storage.lockouts.update(lockoutKey(email), (r) => r);

  async function disabledUser(email: string, reason: string | null): Promise<void> {
    const id = await f.server.createUser(email, PASSWORD);
    await f.server.ctx.storage.users.update(id, { disabled: true, disabledReason: reason }, f.server.ctx.now());
  }

  it("tells a disabled user, with the operator's reason, only after the right password", async () => {
    await disabledUser("dora@example.com", "Unpaid invoice: call billing");
    const wrong = await submitLogin(f.server, new UserAgent(), "dora@example.com", "not-her-password");
    assert.equal(wrong.status, 401);
    assert.equal(errorOf(await wrong.text()), "Incorrect email or password.", "without the password, nothing about the account");
    const agent = new UserAgent();
    const right = await submitLogin(f.server, agent, "dora@example.com", PASSWORD);
    assert.equal(right.status, 403);
    assert.equal(errorOf(await right.text()), "This account has been disabled: Unpaid invoice: call billing");
    assert.equal(agent.cookies.has("session"), false);

    await disabledUser("dan@example.com", null);
    const plain = await submitLogin(f.server, new UserAgent(), "dan@example.com", PASSWORD);
    assert.equal(plain.status, 403);
    assert.match(errorOf(await plain.text()) ?? "", /^This account has been disabled\. Contact/);
  });

  it("does not count a disabled user's right-password attempts toward the lockout", async () => {
    await disabledUser("dina@example.com", null);
    for (let i = 0; i < 5; i++) {
      const res = await submitLogin(f.server, new UserAgent(), "dina@example.com", PASSWORD);
      assert.equal(res.status, 403, `attempt ${i + 1} is answered, not locked`);
    }
    assert.equal(await lockoutOf("dina@example.com"), null, "no failures recorded");
    // Wrong passwords still count: three lock the account (max_attempts: 3).
    for (let i = 0; i < 3; i++) await submitLogin(f.server, new UserAgent(), "dina@example.com", "wrong-password-x");
    const locked = await submitLogin(f.server, new UserAgent(), "dina@example.com", PASSWORD);
    assert.equal(locked.status, 429);
  });

  it("says per field what an empty login or sign-up form is missing, and counts no attempt", async () => {
    await f.server.createUser("ella@example.com", PASSWORD);
    const agent = new UserAgent();
    const { html, flow } = await openLogin(f.server, agent);
    const empty = await post(agent, `${f.server.url}/login`, { csrf: csrfOf(html), flow, email: "", password: "" });
    assert.equal(empty.status, 400);
    const page = await empty.text();
    assert.match(page, /<p class="field-error" id="email-error">Enter your email address\.<\/p>/);
    assert.match(page, /<p class="field-error" id="password-error">Enter your password\.<\/p>/);
    assert.match(page, /id="email"[^>]*aria-describedby="email-error"[^>]*aria-invalid="true"/);
    const noPassword = await post(agent, `${f.server.url}/login`, { csrf: csrfOf(html), flow, email: "ella@example.com", password: "" });
    const noPasswordPage = await noPassword.text();
    assert.doesNotMatch(noPasswordPage, /email-error/);
    assert.match(noPasswordPage, /id="password"[^>]*aria-invalid="true"[^>]*autofocus/);
    assert.equal(await lockoutOf("ella@example.com"), null, "an empty password is not a guess");

    const signup = await getPage(agent, `${f.server.url}/signup`);
    const res = await post(agent, `${f.server.url}/signup`, { csrf: csrfOf(signup.html), email: " ", password: "" });
    assert.equal(res.status, 400);
    const signupPage = await res.text();
    assert.match(signupPage, /Enter your email address\./);
    assert.match(signupPage, /Enter your password\./);
  });

  it("says what is missing on the settings password form, and counts no attempt", async () => {
    await f.server.createUser("gil@example.com", PASSWORD);
    const agent = new UserAgent();
    await finishAtApp(f.server, agent, await submitLogin(f.server, agent, "gil@example.com", PASSWORD));
    const settings = await getPage(agent, `${f.server.url}/settings`);
    const res = await post(agent, `${f.server.url}/settings/password`, { csrf: csrfOf(settings.html), current: "", new_password: "", confirm: "" });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Enter your current password\. Enter a new password\. Enter the new password again\./);
    assert.equal(await lockoutOf("gil@example.com"), null);
  });

  it("does not point at an outbox when mail goes out over SMTP", async () => {
    const agent = new UserAgent();
    const signup = await getPage(agent, `${f.server.url}/signup`);
    await post(agent, `${f.server.url}/signup`, { csrf: csrfOf(signup.html), email: "ida@example.com", password: "idas-long-password" });
    const verify = await getPage(agent, `${f.server.url}/verify`);
    assert.match(verify.html, /We sent a 6-digit code to ida@example\.com/);
    assert.doesNotMatch(verify.html, /outbox/);
  });

  it("refuses one of the most common passwords at sign-up and says why; the admin API too", async () => {
    const agent = new UserAgent();
    const signup = await getPage(agent, `${f.server.url}/signup`);
    assert.match(signup.html, /not be one of the 10,000 most common passwords/, "the rule is listed before anyone types");
    const res = await post(agent, `${f.server.url}/signup`, { csrf: csrfOf(signup.html), email: "fay@example.com", password: "Password1" });
    assert.equal(res.status, 400);
    assert.equal(errorOf(await res.text()), "Choose a stronger password: it must not be one of the 10,000 most common passwords.");
    assert.equal(await f.server.ctx.storage.users.findByEmail("fay@example.com"), null);
  });

  it("offers a way back in after signing out: our sign-in page, and the app's own page when the logout names it", async () => {
    const plain = await fetch(`${f.server.url}/oauth2/end_session`);
    const html = await plain.text();
    assert.equal(plain.status, 200);
    assert.match(html, /You are signed out/);
    assert.match(html, /<a href="\/login">Sign in again<\/a>/);
    assert.doesNotMatch(html, /Back to/);
    const named = await (await fetch(`${f.server.url}/oauth2/end_session?client_id=test-spa`)).text();
    assert.match(named, /<a href="http:\/\/127\.0\.0\.1:9\/logged-out">Back to Test SPA<\/a>/);
  });
});

describe("where the email went, without SMTP", () => {
  it("links the check-your-email pages to the outbox page when mail stays local and the page is on", async () => {
    const s = await startTestServer({ config: { messaging: { dev_outbox_page: true } } });
    try {
      const agent = new UserAgent();
      const signup = await getPage(agent, `${s.url}/signup`);
      const created = await post(agent, `${s.url}/signup`, { csrf: csrfOf(signup.html), email: "hal@example.com", password: "hals-long-password" });
      assert.equal(created.headers.get("location"), "/verify");
      const verify = await getPage(agent, `${s.url}/verify`);
      assert.match(verify.html, /<a href="\/_dev\/outbox" target="_blank" rel="noopener">No email is sent by this server \(no SMTP is set\): read the code in the outbox\.<\/a>/);
      const forgot = await getPage(agent, `${s.url}/forgot`);
      const sent = await post(agent, `${s.url}/forgot`, { csrf: csrfOf(forgot.html), email: "hal@example.com" });
      assert.match(await sent.text(), /href="\/_dev\/outbox"/);
      const outbox = await getPage(agent, `${s.url}/_dev/outbox`);
      assert.match(outbox.html, /\d{6} is your verification code/);
    } finally {
      await s.close();
    }
  });
});
