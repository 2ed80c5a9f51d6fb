// Sign-in and sign-up by a code or link as the first factor, over real HTTP with mail to a real
// SMTP server and texts to the local outbox (no SMS provider configured).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, SPA_CLIENT, UserAgent, openLogin, post, csrfOf, codeIn, finishAtApp, getPage, errorOf, type AccountFixture } from "../account/fixture.ts";
import { smsFor } from "../../src/messaging/sms/queue.ts";

const EMAIL_AND_PHONE = {
  identity: { login_id: { keys: [{ type: "email" }, { type: "phone" }] } },
  authentication: { primary_authenticators: ["oob_otp_email", "oob_otp_sms"] },
};

async function startOtp(f: AccountFixture, agent: UserAgent, loginId: string): Promise<{ res: Response; flow: string }> {
  const { flow, url } = await openLogin(f.server, agent);
  assert.match(url, /\/login\/otp\?flow=/, "with no password first factor, the login page is the code page");
  const page = await getPage(agent, `${f.server.url}/login/otp?flow=${flow}`);
  const res = await post(agent, `${f.server.url}/login/otp`, { csrf: csrfOf(page.html), flow, login_id: loginId });
  return { res, flow };
}

async function lastSms(f: AccountFixture, to: string): Promise<string> {
  await smsFor(f.server.ctx).idle();
  const m = (await f.server.ctx.storage.outbox.list(20)).find((x) => x.to === to && x.subject === "SMS");
  assert.ok(m, `no SMS to ${to}`);
  return m.text;
}

describe("oob_otp as the first factor", () => {
  let f: AccountFixture;
  before(async () => { f = await setupAccounts(EMAIL_AND_PHONE); });
  after(async () => { await f.close(); });

  it("signs up by an emailed code, then signs in again the same way (amr otp, verified, no password)", async () => {
    for (const round of [1, 2]) {
      const agent = new UserAgent();
      const since = f.inbox.messages.length;
      const { res } = await startOtp(f, agent, "Olive@Example.com");
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/login/otp/code");
      const page = await getPage(agent, `${f.server.url}/login/otp/code`);
      assert.match(page.html, /We sent a 6-digit code to olive@example\.com/);
      const mail = await f.inbox.next("olive@example.com", { since });
      assert.match(mail.subject, /^\d{6} is your sign-in code$/);
      const wrong = await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(page.html), code: codeIn(mail) === "000000" ? "111111" : "000000" });
      assert.equal(wrong.status, 400);
      assert.equal(errorOf(await wrong.text()), "That code is incorrect or has expired.");
      const ok = await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(page.html), code: codeIn(mail) });
      const tokens = await finishAtApp(f.server, agent, ok);
      assert.deepEqual(tokens.claims.amr, ["otp"]);
      assert.equal(tokens.claims["https://authgear.com/claims/user/is_verified"], true);
      const replay = await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(page.html), code: codeIn(mail) });
      assert.equal(replay.status, 400, `round ${round}: the step is spent`);
      f.server.advance(61);
    }
    const users = await f.server.ctx.storage.identities.findByLoginId("email", "olive@example.com");
    assert.ok(users);
    assert.equal(await f.server.ctx.storage.passwords.get(users.userId), null, "a passwordless account");
  });

  it("signs in by an SMS code; userinfo says phone_number_verified", async () => {
    const agent = new UserAgent();
    const { res } = await startOtp(f, agent, "+852 6123 4567");
    assert.equal(res.status, 303);
    const page = await getPage(agent, `${f.server.url}/login/otp/code`);
    assert.match(page.html, /We texted a 6-digit code to \+85261234567/);
    const text = await lastSms(f, "+85261234567");
    const code = /^(\d{6}) is your sign-in code/.exec(text)![1];
    assert.match(text, new RegExp(`@${new URL(f.server.url).host} #${code}$`), "the WebOTP line");
    const ok = await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(page.html), code });
    const tokens = await finishAtApp(f.server, agent, ok);
    assert.deepEqual(tokens.claims.amr, ["otp", "sms"]);
    // The browser's session cookie: a first-party caller, every scope's claims.
    const info = await (await agent.request(`${f.server.url}/oauth2/userinfo`)).json();
    assert.equal(info.phone_number, "+85261234567");
    assert.equal(info.phone_number_verified, true);
  });

  it("a code only works in the browser that asked for it", async () => {
    const a = new UserAgent();
    const b = new UserAgent();
    f.server.advance(61);
    await startOtp(f, a, "+85261234568");
    const code = /^(\d{6})/.exec(await lastSms(f, "+85261234568"))![1];
    const pageB = await getPage(b, `${f.server.url}/login/otp/code`);
    assert.equal(pageB.status, 400, "no pending step in the other browser");
    const { html } = await getPage(a, `${f.server.url}/login/otp/code`);
    const ok = await post(a, `${f.server.url}/login/otp/code`, { csrf: csrfOf(html), code });
    assert.equal(ok.status, 303);
  });

  it("login_hint (Authgear's URL form) fills the field", async () => {
    const agent = new UserAgent();
    const hinted = new URL(`${f.server.url}/oauth2/authorize`);
    hinted.search = new URLSearchParams({
      client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid",
      code_challenge: "x".repeat(43), code_challenge_method: "S256",
      login_hint: "https://authgear.com/login_hint?type=login_id&phone=%2B85261234567",
    }).toString();
    const res = await agent.follow(hinted.toString(), f.server.url);
    const html = await res.response.text();
    assert.match(html, /name="login_id"[^>]*value="\+85261234567"/);
  });
});
