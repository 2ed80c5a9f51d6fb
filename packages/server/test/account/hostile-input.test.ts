// Every account form answers hostile input with a readable HTML error page, the right status and
// no state change; the token endpoint has its per-IP limit.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, UserAgent, post, csrfOf, getPage, submitLogin, finishAtApp, type AccountFixture } from "./fixture.ts";

const FORMS = ["/login", "/signup", "/verify", "/verify/resend", "/verify/skip", "/forgot", "/reset/code", "/reset", "/login/totp", "/login/recovery",
  "/settings/password", "/settings/totp", "/settings/totp/disable", "/settings/recovery-codes", "/settings/sessions/revoke", "/settings/sessions/revoke-others", "/settings/verify"];

describe("hostile input on account forms", () => {
  let f: AccountFixture;
  let agent: UserAgent;
  let csrf: string;
  before(async () => {
    f = await setupAccounts({ oauth: { clients: [{ client_id: "test-spa", redirect_uris: ["http://127.0.0.1:9/callback"] }], rate_limits: { token_per_ip: { burst: 5 } } } });
    await f.server.createUser("hugo@example.com", "hugos-password-1");
    agent = new UserAgent();
    await finishAtApp(f.server, agent, await submitLogin(f.server, agent, "hugo@example.com", "hugos-password-1"));
    csrf = csrfOf((await getPage(agent, `${f.server.url}/settings`)).html);
  });
  after(async () => { await f.close(); });

  const raw = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> =>
    agent.request(`${f.server.url}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: f.server.url, ...headers }, body: body as BodyInit });

  async function assertPage(res: Response, status: number, what: string): Promise<void> {
    assert.equal(res.status, status, what);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/, what);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, what);
    assert.match(await res.text(), /<h1>[^<]+<\/h1>/, what);
  }

  async function state(): Promise<string> {
    const user = await f.server.ctx.storage.users.findByEmail("hugo@example.com");
    const sessions = await f.server.ctx.storage.sessions.listByUser(user!.id);
    await f.server.ctx.mailer.idle();
    return JSON.stringify([user, await f.server.ctx.storage.passwords.get(user!.id), sessions.map((s) => s.revokedAt), f.inbox.messages.length,
      await f.server.ctx.storage.users.findByEmail("evil@example.com"), await f.server.ctx.storage.totp.get(user!.id)]);
  }

  it("refuses a missing or wrong CSRF token, or another Origin, with 403", async () => {
    const before = await state();
    for (const path of FORMS) {
      await assertPage(await raw(path, "email=evil%40example.com&password=evils-password-1"), 403, `${path} without csrf`);
      await assertPage(await raw(path, `csrf=${csrf}x&email=evil%40example.com`), 403, `${path} with a wrong csrf`);
      await assertPage(await raw(path, `csrf=${csrf}&email=evil%40example.com`, { origin: "https://evil.example" }), 403, `${path} from another origin`);
    }
    assert.equal(await state(), before);
  });

  it("refuses huge fields, repeated fields, control characters, bad percent-encoding and invalid UTF-8 with 400", async () => {
    const before = await state();
    const bodies: [string, string | Uint8Array][] = [
      ["huge field", `csrf=${csrf}&email=${"a".repeat(5000)}%40example.com&password=x&code=1&token=t&current=x`],
      ["repeated field", `csrf=${csrf}&email=evil%40example.com&email=hugo%40example.com&password=a&password=b&code=1&code=2&proof=1&proof=2&kind=a&kind=b&token=a&token=b&current=a&current=b&recovery_code=a&recovery_code=b`],
      ["control character", `csrf=${csrf}&email=evil%00%40example.com&password=p%00&code=%00&proof=%00&kind=%00&token=%00&current=%00&recovery_code=%00`],
      ["bad percent-encoding", `csrf=${csrf}&email=%ZZevil&password=%E2%82`],
      ["invalid UTF-8", Buffer.concat([Buffer.from(`csrf=${csrf}&email=`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("&password=x")])],
    ];
    for (const path of FORMS) {
      for (const [what, body] of bodies) {
        const res = await raw(path, body);
        // Forms with no text fields only see the (valid) CSRF token of a repeated/huge body: those may go on.
        if (res.status < 400 && (what === "huge field" || what === "repeated field" || what === "control character")) continue;
        await assertPage(res, 400, `${path}: ${what}`);
      }
    }
    await assertPage(await raw("/signup", `csrf=${csrf}&email=evil%40example.com&password=${"x".repeat(70_000)}`), 413, "a body over 64 KiB");
    assert.equal(await state(), before);
  });

  it("answers a replayed reset token and stale steps with an error page", async () => {
    await assertPage(await agent.request(`${f.server.url}/reset?token=${"A".repeat(43)}`), 400, "unknown reset token");
    await assertPage(await agent.request(`${f.server.url}/reset?token=%ZZ`), 400, "malformed reset token");
    await assertPage(await agent.request(`${f.server.url}/login/totp`), 400, "no pending login");
    await assertPage(await post(agent, `${f.server.url}/reset`, { csrf, token: "A".repeat(43), password: "whatever-1234", confirm: "whatever-1234" }), 400, "reset with an unknown token");
  });

  it("limits the token endpoint per IP with 429 slow_down", async () => {
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 6; i++) {
      last = await fetch(`${f.server.url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=refresh_token&refresh_token=x&client_id=test-spa" });
      statuses.push(last.status);
    }
    // burst 5, and the sign-in in before() spent one on its code exchange.
    assert.deepEqual(statuses, [400, 400, 400, 400, 429, 429]);
    assert.deepEqual(await last!.json(), { error: "slow_down", error_description: "too many requests" });
    assert.ok(Number(last!.headers.get("retry-after")) > 0);
    const defaults = (await import("../../src/config/load.ts")).parseConfig({}).oauth.rate_limits.token_per_ip;
    assert.deepEqual(defaults, { enabled: true, burst: 120, period: 60 }, "120/min by default");
  });
});
