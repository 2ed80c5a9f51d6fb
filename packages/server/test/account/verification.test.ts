// Email verification after sign-up (and at login when required), over real HTTP and real SMTP.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, UserAgent, openLogin, post, csrfOf, codeIn, finishAtApp, getPage, errorOf, submitLogin, type AccountFixture } from "./fixture.ts";

async function signUp(f: AccountFixture, agent: UserAgent, email: string, password = "a-fine-password-1"): Promise<{ res: Response; flow: string }> {
  const { flow } = await openLogin(f.server, agent);
  const page = await getPage(agent, `${f.server.url}/signup?flow=${flow}`);
  const res = await post(agent, `${f.server.url}/signup`, { csrf: csrfOf(page.html), flow, email, password });
  return { res, flow };
}

describe("email verification (optional, the default)", () => {
  let f: AccountFixture;
  before(async () => { f = await setupAccounts(); });
  after(async () => { await f.close(); });

  it("asks to verify after sign-up; the emailed code verifies, and tokens, userinfo and the resolver say so", async () => {
    const agent = new UserAgent();
    const since = f.inbox.messages.length;
    const { res } = await signUp(f, agent, "vera@example.com");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/verify");
    const page = await getPage(agent, `${f.server.url}/verify`);
    assert.match(page.html, /We sent a 6-digit code to vera@example\.com/);
    assert.match(page.html, /Skip for now/);
    const mail = await f.inbox.next("vera@example.com", { since });
    assert.match(mail.subject, /^\d{6} is your verification code$/);
    const wrong = await post(agent, `${f.server.url}/verify`, { csrf: csrfOf(page.html), code: codeIn(mail) === "000000" ? "111111" : "000000" });
    assert.equal(wrong.status, 400);
    assert.equal(errorOf(await wrong.text()), "That code is incorrect or has expired.");
    const ok = await post(agent, `${f.server.url}/verify`, { csrf: csrfOf(page.html), code: codeIn(mail) });
    const tokens = await finishAtApp(f.server, agent, ok);
    assert.equal(tokens.claims["https://authgear.com/claims/user/is_verified"], true);
    assert.deepEqual(tokens.claims.amr, ["pwd"]);
    const userinfo = await (await fetch(`${f.server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
    assert.equal(userinfo["https://authgear.com/claims/user/is_verified"], true);
    const resolved = await fetch(`${f.server.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(resolved.headers.get("x-authgear-user-verified"), "true");
    const replay = await post(agent, `${f.server.url}/verify`, { csrf: csrfOf(page.html), code: codeIn(mail) });
    assert.equal(replay.status, 400, "the pending step is over: a replayed code changes nothing");
  });

  it("allows skipping, with is_verified false; resend has a 60 s cooldown; 5 wrong codes kill a code; codes expire", async () => {
    const agent = new UserAgent();
    const since = f.inbox.messages.length;
    await signUp(f, agent, "sam@example.com");
    const first = codeIn(await f.inbox.next("sam@example.com", { since }));
    const page = await getPage(agent, `${f.server.url}/verify`);
    const csrf = csrfOf(page.html);
    const early = await post(agent, `${f.server.url}/verify/resend`, { csrf });
    assert.equal(early.status, 429);
    assert.match(errorOf(await early.text())!, /You can ask for a new code in \d+ seconds/);
    f.server.advance(61);
    const again = await post(agent, `${f.server.url}/verify/resend`, { csrf });
    assert.equal(again.status, 200);
    const second = codeIn(await f.inbox.next("sam@example.com", { since: since + 1 }));
    if (first !== second) assert.equal((await post(agent, `${f.server.url}/verify`, { csrf, code: first })).status, 400, "the old code died");
    const wrongCode = second === "999999" ? "999998" : "999999";
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(errorOf(await (await post(agent, `${f.server.url}/verify`, { csrf, code: wrongCode })).text())!);
    assert.equal(answers[4], "Too many wrong codes. Ask for a new code.");
    assert.equal(errorOf(await (await post(agent, `${f.server.url}/verify`, { csrf, code: second })).text()), "Too many wrong codes. Ask for a new code.");
    const skipped = await post(agent, `${f.server.url}/verify/skip`, { csrf });
    const tokens = await finishAtApp(f.server, agent, skipped);
    assert.equal(tokens.claims["https://authgear.com/claims/user/is_verified"], false);

    // Later, from settings: a code that is 5 minutes old no longer works.
    const settings = await getPage(agent, `${f.server.url}/settings`);
    assert.match(settings.html, /Not verified/);
    f.server.advance(61);
    const sinceSettings = f.inbox.messages.length;
    assert.equal((await post(agent, `${f.server.url}/settings/verify`, { csrf: csrfOf(settings.html) })).headers.get("location"), "/verify");
    const code = codeIn(await f.inbox.next("sam@example.com", { since: sinceSettings }));
    f.server.advance(301);
    assert.equal((await post(agent, `${f.server.url}/verify`, { csrf, code })).status, 400, "expired after 5 minutes");
    f.server.advance(61);
    const sinceFresh = f.inbox.messages.length;
    await post(agent, `${f.server.url}/verify/resend`, { csrf });
    const fresh = codeIn(await f.inbox.next("sam@example.com", { since: sinceFresh }));
    const done = await post(agent, `${f.server.url}/verify`, { csrf, code: fresh });
    assert.equal(done.headers.get("location"), "/settings?notice=verified");
    assert.match((await getPage(agent, `${f.server.url}/settings?notice=verified`)).html, /Your email address is verified\./);
  });
});

describe("email verification (required)", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts({ verification: { required: true } });
    await f.server.createUser("owner@example.com", "owners-password-1");
    await f.server.ctx.storage.users.update((await f.server.ctx.storage.users.findByEmail("owner@example.com"))!.id, { isVerified: false }, f.server.ctx.now());
  });
  after(async () => { await f.close(); });

  it("cannot be skipped, and an unverified user is asked at login too", async () => {
    const agent = new UserAgent();
    const res = await submitLogin(f.server, agent, "owner@example.com", "owners-password-1");
    assert.equal(res.headers.get("location"), "/verify");
    const page = await getPage(agent, `${f.server.url}/verify`);
    assert.doesNotMatch(page.html, /Skip for now/);
    assert.match(page.html, /You need to verify your email to continue/);
    const skip = await post(agent, `${f.server.url}/verify/skip`, { csrf: csrfOf(page.html) });
    assert.equal(skip.status, 400);
    assert.equal(agent.cookies.has("session"), false);
    const code = codeIn(await f.inbox.next("owner@example.com"));
    const tokens = await finishAtApp(f.server, agent, await post(agent, `${f.server.url}/verify`, { csrf: csrfOf(page.html), code }));
    assert.equal(tokens.claims["https://authgear.com/claims/user/is_verified"], true);
  });

  it("answers a sign-up with a taken email exactly like a new one, and tells the owner instead", async () => {
    const pages: string[] = [];
    for (const email of ["owner@example.com", "newcomer@example.com"]) {
      const agent = new UserAgent();
      const since = f.inbox.messages.length;
      const { res } = await signUp(f, agent, email);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/verify");
      const page = await getPage(agent, `${f.server.url}/verify`);
      const csrf = csrfOf(page.html);
      const wrong = await post(agent, `${f.server.url}/verify`, { csrf, code: "123456" });
      const resend = await post(agent, `${f.server.url}/verify/resend`, { csrf });
      pages.push([page.html.replaceAll(csrf, "").replace(email, "EMAIL"), wrong.status, errorOf(await wrong.text()), resend.status].join("|"));
      const mail = await f.inbox.next(email, { since });
      assert.match(mail.subject, email === "owner@example.com" ? /Someone tried to sign up/ : /verification code/);
    }
    assert.equal(pages[0], pages[1]);
  });
});
