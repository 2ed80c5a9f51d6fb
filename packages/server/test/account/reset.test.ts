// Forgot / reset password by emailed code and by emailed link, over real HTTP and real SMTP.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, UserAgent, post, csrfOf, codeIn, linkIn, finishAtApp, getPage, errorOf, submitLogin, type AccountFixture } from "./fixture.ts";

describe("password reset", () => {
  let f: AccountFixture;
  before(async () => {
    f = await setupAccounts();
    await f.server.createUser("rita@example.com", "ritas-old-password");
    await f.server.createUser("lena@example.com", "lenas-old-password");
  });
  after(async () => { await f.close(); });

  async function forgot(agent: UserAgent, email: string): Promise<{ status: number; html: string }> {
    const page = await getPage(agent, `${f.server.url}/forgot`);
    const res = await post(agent, `${f.server.url}/forgot`, { csrf: csrfOf(page.html), email });
    return { status: res.status, html: await res.text() };
  }

  it("answers the same whether or not the email has an account", async () => {
    const answers: string[] = [];
    for (const email of ["rita@example.com", "nobody-here@example.com"]) {
      const r = await forgot(new UserAgent(), email);
      answers.push(`${r.status}|${r.html.replace(/value="[^"]{43}"/g, "").replaceAll(email, "EMAIL")}`);
    }
    assert.equal(answers[0], answers[1]);
    assert.match(answers[0], /If an account exists for EMAIL, we sent it a 6-digit code and a link/);
  });

  it("resets with the emailed code, signs every old session out, and works once", async () => {
    const old = new UserAgent();
    const tokens = await finishAtApp(f.server, old, await submitLogin(f.server, old, "rita@example.com", "ritas-old-password"));
    const agent = new UserAgent();
    await f.server.ctx.mailer.idle(); // the first test's email is in
    const since = f.inbox.messages.length;
    f.server.advance(61); // past the cooldown of the first test's request
    const sent = await forgot(agent, "rita@example.com");
    const mail = await f.inbox.next("rita@example.com", { since });
    assert.equal(mail.subject, "Reset your password");
    const code = codeIn(mail);
    const csrf = csrfOf(sent.html);
    const wrong = await post(agent, `${f.server.url}/reset/code`, { csrf, email: "rita@example.com", code: code === "000000" ? "000001" : "000000" });
    assert.equal(wrong.status, 400);
    assert.equal(errorOf(await wrong.text()), "That code is incorrect or has expired.");
    const form = await post(agent, `${f.server.url}/reset/code`, { csrf, email: "rita@example.com", code });
    assert.equal(form.status, 200);
    const formHtml = await form.text();
    const token = /name="token" value="([^"]+)"/.exec(formHtml)![1];
    assert.equal((await post(agent, `${f.server.url}/reset/code`, { csrf, email: "rita@example.com", code })).status, 400, "the code works once");
    const mismatch = await post(agent, `${f.server.url}/reset`, { csrf, token, password: "ritas-new-password", confirm: "something-else" });
    assert.equal(errorOf(await mismatch.text()), "The two new passwords do not match.");
    const weak = await post(agent, `${f.server.url}/reset`, { csrf, token, password: "short", confirm: "short" });
    assert.equal(weak.status, 400);
    assert.match(errorOf(await weak.text())!, /at least 8 characters/);
    const done = await post(agent, `${f.server.url}/reset`, { csrf, token, password: "ritas-new-password", confirm: "ritas-new-password" });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /every other session has been signed out/);
    const logged = (await f.server.ctx.storage.auditLog.list({ action: "user.forgot_password.password_changed", limit: 1 })).items[0];
    assert.deepEqual(logged && [logged.actor, logged.targetId, logged.details.email], [`user:${logged?.targetId}`, (await f.server.ctx.storage.users.findByEmail("rita@example.com"))!.id, "rita@example.com"], "the reset is in the audit log");
    assert.equal((await post(agent, `${f.server.url}/reset`, { csrf, token, password: "ritas-3rd-password", confirm: "ritas-3rd-password" })).status, 400, "single use");

    const resolved = await fetch(`${f.server.url}/_resolver/resolve`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(resolved.headers.get("x-authgear-session-valid"), "false", "the old access token is dead");
    const refresh = await fetch(`${f.server.url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(tokens.refresh_token), client_id: "test-spa" }) });
    assert.equal(refresh.status, 400, "so is the refresh token");
    assert.equal((await old.request(`${f.server.url}/settings`)).status, 303, "and the old browser session");
    assert.equal((await submitLogin(f.server, new UserAgent(), "rita@example.com", "ritas-old-password")).status, 401);
    assert.equal((await submitLogin(f.server, new UserAgent(), "rita@example.com", "ritas-new-password")).status, 303);
  });

  it("resets with the emailed link (single use; a GET does not spend it) and both expire after 15 minutes", async () => {
    const agent = new UserAgent();
    const since = f.inbox.messages.length;
    await forgot(agent, "lena@example.com");
    const link = linkIn(await f.inbox.next("lena@example.com", { since }));
    const first = await getPage(agent, link);
    assert.equal(first.status, 200);
    assert.match(first.html, /Choose a new password for lena@example\.com/);
    assert.equal((await getPage(agent, link)).status, 200, "opening the link twice is fine");
    const token = new URL(link).searchParams.get("token")!;
    const done = await post(agent, `${f.server.url}/reset`, { csrf: csrfOf(first.html), token, password: "lenas-new-password", confirm: "lenas-new-password" });
    assert.equal(done.status, 200);
    const again = await getPage(agent, link);
    assert.equal(again.status, 400);
    assert.match(again.html, /expired or was already used/);

    f.server.advance(61);
    const since2 = f.inbox.messages.length;
    await forgot(agent, "lena@example.com");
    const mail = await f.inbox.next("lena@example.com", { since: since2 });
    f.server.advance(901);
    assert.equal((await getPage(agent, linkIn(mail))).status, 400, "the link expired");
    const page = await getPage(agent, `${f.server.url}/forgot`);
    assert.equal((await post(agent, `${f.server.url}/reset/code`, { csrf: csrfOf(page.html), email: "lena@example.com", code: codeIn(mail) })).status, 400, "so did the code");
  });
});
