// Login links (email_otp_mode: login_link) and the abuse limits Authgear sets on codes: resend
// cooldown per target, codes per target per hour, wrong guesses per code, sends per IP, expiry,
// single use — and answers that never depend on whether the target has an account.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, UserAgent, openLogin, post, csrfOf, codeIn, finishAtApp, getPage, errorOf, type AccountFixture } from "../account/fixture.ts";

async function ask(f: AccountFixture, agent: UserAgent, email: string): Promise<Response> {
  const { flow } = await openLogin(f.server, agent);
  const page = await getPage(agent, `${f.server.url}/login/otp?flow=${flow}`);
  return post(agent, `${f.server.url}/login/otp`, { csrf: csrfOf(page.html), flow, login_id: email });
}

describe("login links", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts({ authentication: { primary_authenticators: ["oob_otp_email"] }, authenticator: { oob_otp: { email: { email_otp_mode: "login_link" } } } });
  });
  after(async () => { await f.close(); });

  it("the link, opened and confirmed elsewhere, lets the asking page continue; once", async () => {
    const agent = new UserAgent();
    const since = f.inbox.messages.length;
    const res = await ask(f, agent, "lina@example.com");
    assert.equal(res.headers.get("location"), "/login/otp/link");
    const wait = await getPage(agent, `${f.server.url}/login/otp/link`);
    const early = await post(agent, `${f.server.url}/login/otp/link`, { csrf: csrfOf(wait.html) });
    assert.equal(early.status, 400, "not confirmed yet");
    const mail = await f.inbox.next("lina@example.com", { since });
    const link = /(http\S+\/login\/link\?token=\S+)/.exec(mail.text)![1];
    const other = new UserAgent();
    const confirm = await getPage(other, link);
    assert.equal(confirm.status, 200, "opening the link changes nothing by itself");
    const token = new URL(link).searchParams.get("token")!;
    const done = await post(other, `${f.server.url}/login/link`, { csrf: csrfOf(confirm.html), token });
    assert.equal(done.status, 200);
    assert.equal((await post(other, `${f.server.url}/login/link`, { csrf: csrfOf(confirm.html), token })).status, 400, "a link confirms once");
    const ok = await post(agent, `${f.server.url}/login/otp/link`, { csrf: csrfOf(wait.html) });
    const tokens = await finishAtApp(f.server, agent, ok);
    assert.deepEqual(tokens.claims.amr, ["otp"]);
    assert.equal((await post(other, `${f.server.url}/login/otp/link`, { csrf: csrfOf(confirm.html) })).status, 400, "the other browser has no login to finish");
  });

  it("a forged, malformed or expired token is a readable 400", async () => {
    const agent = new UserAgent();
    for (const q of ["", "?token=", "?token=%00", `?token=${"A".repeat(43)}`, `?token=${"x".repeat(5000)}`, "?token=a&token=b"]) {
      const r = await getPage(agent, `${f.server.url}/login/link${q}`);
      assert.ok(r.status === 400 || r.status === 200, `${q}: ${r.status}`);
      if (r.status === 200) {
        const posted = await post(agent, `${f.server.url}/login/link`, { csrf: csrfOf(r.html), token: "A".repeat(43) });
        assert.equal(posted.status, 400);
      }
    }
    const since = f.inbox.messages.length;
    f.server.advance(61);
    await ask(f, agent, "late@example.com");
    const link = /(http\S+\/login\/link\?token=\S+)/.exec((await f.inbox.next("late@example.com", { since })).text)![1];
    f.server.advance(301);
    const page = await getPage(new UserAgent(), link);
    const late = await post(new UserAgent(), `${f.server.url}/login/link`, { csrf: "x", token: new URL(link).searchParams.get("token")! });
    assert.equal(late.status, 403, "no CSRF cookie: refused before anything");
    void page;
  });
});

describe("code limits", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts({
      authentication: {
        primary_authenticators: ["password", "oob_otp_email"],
        rate_limits: { oob_otp: { email: { trigger_per_user: { burst: 3, period: "1h" }, trigger_per_ip: { burst: 8, period: "1m" } } } },
      },
    });
    await f.server.createUser("known@example.com", "a-fine-password-1");
  });
  after(async () => { await f.close(); });

  it("the same answers for a known and an unknown address", async () => {
    const a = await ask(f, new UserAgent(), "known@example.com");
    const b = await ask(f, new UserAgent(), "nobody@example.com");
    assert.equal(a.status, b.status);
    assert.equal(a.headers.get("location"), b.headers.get("location"));
  });

  it("cooldown per target, then codes per target per hour", async () => {
    const agent = new UserAgent();
    f.server.advance(61);
    assert.equal((await ask(f, agent, "cool@example.com")).status, 303);
    const again = await ask(f, agent, "cool@example.com");
    assert.equal(again.status, 429);
    assert.match(errorOf(await again.text())!, /in \d+ seconds/);
    f.server.advance(61);
    assert.equal((await ask(f, agent, "cool@example.com")).status, 303);
    f.server.advance(61);
    assert.equal((await ask(f, agent, "cool@example.com")).status, 303);
    f.server.advance(61);
    const fourth = await ask(f, agent, "cool@example.com");
    assert.equal(fourth.status, 429, "3 per hour per target");
    assert.match(errorOf(await fourth.text())!, /Too many codes/);
  });

  it("5 wrong guesses kill a code; a code expires after 5 minutes", async () => {
    const agent = new UserAgent();
    f.server.advance(3600);
    const since = f.inbox.messages.length;
    await ask(f, agent, "guess@example.com");
    const code = codeIn(await f.inbox.next("guess@example.com", { since }));
    const { html } = await getPage(agent, `${f.server.url}/login/otp/code`);
    const wrong = code === "123456" ? "654321" : "123456";
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(errorOf(await (await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(html), code: wrong })).text())!);
    assert.equal(answers[4], "Too many wrong codes. Ask for a new code.");
    const right = await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(html), code });
    assert.equal(right.status, 400, "the right code is dead too");
    f.server.advance(61);
    const since2 = f.inbox.messages.length;
    const resend = await post(agent, `${f.server.url}/login/otp/resend`, { csrf: csrfOf(html) });
    assert.equal(resend.status, 200);
    const fresh = codeIn(await f.inbox.next("guess@example.com", { since: since2 }));
    f.server.advance(301);
    assert.equal((await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(html), code: fresh })).status, 400, "expired (and so is the pending step)");
  });

  it("sends per IP", async () => {
    f.server.advance(3600);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await ask(f, new UserAgent(), `ip${i}@example.com`)).status);
    assert.deepEqual(statuses.slice(0, 8), Array(8).fill(303));
    assert.equal(statuses[8], 429);
  });

  it("hostile input to the code pages is a 4xx page, never a 500", async () => {
    const agent = new UserAgent();
    f.server.advance(3600);
    await ask(f, agent, "host@example.com");
    const { html } = await getPage(agent, `${f.server.url}/login/otp/code`);
    for (const code of ["", " ", "x".repeat(33), "１２３４５６", "12345\u0000", "' OR 1=1"]) {
      const r = await post(agent, `${f.server.url}/login/otp/code`, { csrf: csrfOf(html), code });
      assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(code)}: ${r.status}`);
    }
    for (const login_id of ["", "not an email", "a@b", "x".repeat(400), "\u202e@example.com"]) {
      const page = await getPage(agent, `${f.server.url}/login/otp`);
      const r = await post(agent, `${f.server.url}/login/otp`, { csrf: csrfOf(page.html), login_id });
      assert.ok(r.status === 400, `${JSON.stringify(login_id).slice(0, 30)}: ${r.status}`);
    }
  });
});
