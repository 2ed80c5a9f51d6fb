// Lookups keyed by what a client sends must not find Object.prototype's members: an
// `Accept-Language: constructor` (or `__proto__`, `toString`, `hasOwnProperty`) once made every
// account page a 500, `?notice=constructor` broke /settings, and an X-Forwarded-For of
// `constructor` (behind a trusted proxy) escaped the per-IP lockout.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { parseFormStrict } from "../../src/account/ui/form.ts";
import { pickLocale, translator } from "../../src/account/messages/index.ts";
import { toParams } from "../../src/oauth/params.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent, csrfOf, finishAtApp, getPage, openLogin, submitLogin } from "./fixture.ts";

const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"];
const LANGUAGES = [...NAMES, "constructor, en;q=0.5", "__proto__;q=0.9", "toString-US", "hasOwnProperty, de;q=0.1"];
/** The one hostile header above that also names a real language. */
const expected = (lang: string): string => (lang.endsWith("de;q=0.1") ? "de" : "en");

describe("user-keyed lookups", () => {
  let s: TestServer;
  let signedIn: UserAgent;
  before(async () => {
    s = await startTestServer();
    await s.createUser("pia@example.com", "pias-password-1");
    signedIn = new UserAgent();
    await finishAtApp(s, signedIn, await submitLogin(s, signedIn, "pia@example.com", "pias-password-1"));
  });
  after(async () => { await s?.close(); });

  it("the message catalogue: a hostile Accept-Language picks the default language", () => {
    for (const lang of LANGUAGES) {
      assert.equal(pickLocale(lang), expected(lang), lang);
      assert.equal(translator(lang)("login.title"), translator()("login.title"), lang);
    }
    assert.equal(translator()("login.heading_app", { app: "X" }), "Sign in to X");
    assert.equal(translator()("verify.intro"), "We sent a 6-digit code to {email}. It expires in 5 minutes.", "a missing parameter stays as written");
  });

  it("every account page answers a hostile Accept-Language in English, never a 500", async () => {
    const anonymous = ["/login", "/signup", "/forgot", "/reset?token=x", "/verify", "/login/totp", "/login/recovery", "/settings", "/", "/login?flow=nope"];
    const withSession = ["/settings", "/settings/totp", "/verify", "/", "/login"];
    const pending = new UserAgent();
    const { url: loginUrl } = await openLogin(s, pending);
    for (const lang of LANGUAGES) {
      const pages: [UserAgent, string][] = [
        ...anonymous.map((p): [UserAgent, string] => [new UserAgent(), p]),
        ...withSession.map((p): [UserAgent, string] => [signedIn, p]),
        [pending, new URL(loginUrl).pathname + new URL(loginUrl).search],
      ];
      for (const [agent, path] of pages) {
        const res = await agent.request(`${s.url}${path}`, { headers: { "accept-language": lang } });
        const html = await res.text();
        assert.ok(res.status < 500, `${path} with Accept-Language: ${lang} → ${res.status}`);
        if (res.status < 300) assert.match(html, new RegExp(`<html lang="${expected(lang)}"`), `${path} (${lang})`);
      }
      // Form posts: the refusal pages (bad CSRF) and a real answer (wrong password) are translated too.
      const refused = await new UserAgent().request(`${s.url}/login`, { method: "POST", headers: { "accept-language": lang, "content-type": "application/x-www-form-urlencoded" }, body: "csrf=x&email=a&password=b" });
      assert.equal(refused.status, 403, lang);
      const agent = new UserAgent();
      const page = await getPage(agent, `${s.url}/login`);
      const wrong = await agent.request(`${s.url}/login`, {
        method: "POST", headers: { "accept-language": lang, "content-type": "application/x-www-form-urlencoded", origin: s.url },
        body: new URLSearchParams({ csrf: csrfOf(page.html), email: `nobody-${lang.length}@example.com`, password: "not-it-at-all" }),
      });
      assert.equal(wrong.status, 401, lang);
      assert.match(await wrong.text(), /Incorrect email or password|E-Mail oder Passwort ist falsch/);
    }
  });

  it("/settings?notice=<Object.prototype member> shows no notice, and no 500", async () => {
    for (const notice of NAMES) {
      const { status, html } = await getPage(signedIn, `${s.url}/settings?notice=${notice}`);
      assert.equal(status, 200, notice);
      assert.doesNotMatch(html, /class="notice"/, notice);
    }
    assert.match((await getPage(signedIn, `${s.url}/settings?notice=password`)).html, /class="notice"/, "a real notice still shows");
  });

  it("OAuth parameters named like Object.prototype members are parameters like any other", () => {
    const p = toParams(parseFormStrict("__proto__=a&constructor=b&grant_type=refresh_token"));
    assert.equal(p.__proto__ as unknown, "a");
    assert.equal(p.constructor as unknown, "b");
    assert.equal(p.grant_type, "refresh_token");
    const empty = toParams(parseFormStrict("grant_type=x"));
    for (const name of NAMES) assert.equal((empty as Record<string, unknown>)[name], undefined, `${name} is not a parameter nobody sent`);
  });
});

describe("per-IP lockout behind a trusted proxy", () => {
  // startTestServer's `config.http` replaces its own (public_origin included): these requests send
  // no Origin header, which the CSRF check allows (the double-submit token still applies).
  let s: TestServer;
  before(async () => {
    s = await startTestServer({
      config: {
        http: { trust_proxy: true },
        authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 }, lockout: { lockout_type: "per_user_per_ip" } },
      },
    });
    await s.createUser("ida@example.com", "idas-password-1");
  });
  after(async () => { await s?.close(); });

  it("locks a client whose X-Forwarded-For names an Object.prototype member like any other", async () => {
    for (const ip of ["constructor", "__proto__", "toString"]) {
      s.advance(3601); // a fresh lockout history and fresh rate-limit buckets for each
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const agent = new UserAgent();
        const page = await getPage(agent, `${s.url}/login`);
        const res = await agent.request(`${s.url}/login`, {
          method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
          body: new URLSearchParams({ csrf: csrfOf(page.html), email: "ida@example.com", password: `wrong-${i}` }),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429], `X-Forwarded-For: ${ip}`);
      const other = new UserAgent();
      const ok = await other.request(`${s.url}/login`, {
        method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.7" },
        body: new URLSearchParams({ csrf: csrfOf((await getPage(other, `${s.url}/login`)).html), email: "ida@example.com", password: "idas-password-1" }),
      });
      assert.equal(ok.status, 303, "per_user_per_ip: other clients are not locked");
    }
  });
});
