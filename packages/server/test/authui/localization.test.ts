// Hosted pages and emails in the language the app or the browser asks for: ui_locales on
// /oauth2/authorize (kept with the flow and in the ui_locales cookie for the pages that follow),
// Accept-Language with q-values, localization.supported_languages / fallback_language; Arabic is
// right to left. The real server over HTTP, mail through a real SMTP server.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setupAccounts, csrfOf, finishAtApp, submitLogin, UserAgent, type AccountFixture } from "../account/fixture.ts";
import { authorizeUrl } from "./ui-fixture.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { parseConfig } from "../../src/config/load.ts";

const htmlTag = (html: string): string => /<html[^>]*>/.exec(html)![0];

describe("hosted pages in the requested language", () => {
  let f: AccountFixture;
  before(async () => { f = await setupAccounts(); });
  after(async () => { await f?.close(); });

  it("ui_locales on /oauth2/authorize picks the login page's language, and later pages keep it (cookie)", async () => {
    const agent = new UserAgent();
    const first = await agent.request(authorizeUrl(f.server.url, { ui_locales: "ja en" }), { headers: { "accept-language": "fr" } });
    assert.equal(first.status, 302);
    assert.ok(first.headers.getSetCookie().some((c) => /^ui_locales=ja%20en; Path=\/; HttpOnly; SameSite=Lax/.test(c)), first.headers.getSetCookie().join(" | "));
    const login = await agent.request(new URL(first.headers.get("location")!, f.server.url).toString(), { headers: { "accept-language": "fr" } });
    const html = await login.text();
    assert.equal(htmlTag(html), '<html lang="ja" dir="ltr">');
    assert.match(html, /Test SPA にサインイン/);
    assert.match(html, /<label for="password">パスワード<\/label>/);
    // A page of the same browser without the flow: the cookie still says Japanese, over Accept-Language.
    const forgot = await (await agent.request(`${f.server.url}/forgot`, { headers: { "accept-language": "fr" } })).text();
    assert.equal(htmlTag(forgot), '<html lang="ja" dir="ltr">');
  });

  it("the flow's ui_locales applies even without the cookie (another tab, cookie cleared)", async () => {
    const agent = new UserAgent();
    const first = await agent.request(authorizeUrl(f.server.url, { ui_locales: "ko" }));
    agent.cookies.delete("ui_locales");
    const html = await (await agent.request(new URL(first.headers.get("location")!, f.server.url).toString())).text();
    assert.equal(htmlTag(html), '<html lang="ko" dir="ltr">');
  });

  it("Accept-Language by q-value when the app sends no ui_locales", async () => {
    const cases: [string, string, RegExp][] = [
      ["de;q=0.9, fr;q=0.4", "de", /Bei Test SPA anmelden/],
      ["zh-Hant-TW", "zh-TW", /登入 Test SPA/],
      ["zh-CN,zh;q=0.9", "zh-CN", /登录 Test SPA/],
      ["pt-BR", "pt-BR", /Entrar em Test SPA/],
      ["es-MX", "es", /Inicia sesión en Test SPA/],
      ["tlh", "en", /Sign in to Test SPA/],
    ];
    for (const [header, lang, text] of cases) {
      const agent = new UserAgent();
      const first = await agent.request(authorizeUrl(f.server.url, {}), { headers: { "accept-language": header } });
      const html = await (await agent.request(new URL(first.headers.get("location")!, f.server.url).toString(), { headers: { "accept-language": header } })).text();
      assert.equal(htmlTag(html), `<html lang="${lang}" dir="ltr">`, header);
      assert.match(html, text, header);
    }
  });

  it("Arabic pages are right to left", async () => {
    const agent = new UserAgent();
    for (const path of ["/login?ui_locales=ar", "/signup?ui_locales=ar", "/forgot?ui_locales=ar"]) {
      const html = await (await agent.request(`${f.server.url}${path}`)).text();
      assert.equal(htmlTag(html), '<html lang="ar" dir="rtl">', path);
    }
    const login = await (await agent.request(`${f.server.url}/login`, { headers: { "accept-language": "ar-EG" } })).text();
    assert.match(login, /<h1>تسجيل الدخول<\/h1>/);
  });

  it("the verification email is in the language of the sign-in flow that sent it", async () => {
    const agent = new UserAgent();
    const first = await agent.request(authorizeUrl(f.server.url, { ui_locales: "de" }), { headers: { "accept-language": "en" } });
    const pageUrl = new URL(first.headers.get("location")!, f.server.url);
    const html = await (await agent.request(pageUrl.toString())).text();
    const since = f.inbox.messages.length;
    const res = await agent.request(`${f.server.url}/signup`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: f.server.url, "accept-language": "en" },
      body: new URLSearchParams({ csrf: csrfOf(html), flow: pageUrl.searchParams.get("flow")!, email: "dora@example.com", password: "doras long password 1" }),
    });
    assert.equal(res.status, 303);
    const mail = await f.inbox.next("dora@example.com", { since });
    assert.match(mail.subject, /^\d{6} ist Ihr Bestätigungscode$/);
    assert.match(mail.text, /Ihr Bestätigungscode lautet \d{6}\./);
    const verify = await (await agent.request(`${f.server.url}/verify`, { headers: { "accept-language": "en" } })).text();
    assert.equal(htmlTag(verify), '<html lang="de" dir="ltr">');
  });

  it("the password reset email is in the language of the page that asked for it", async () => {
    await f.server.createUser("rosa@example.com", "rosas long password 1");
    const agent = new UserAgent();
    const page = await (await agent.request(`${f.server.url}/forgot`, { headers: { "accept-language": "fr-FR" } })).text();
    const since = f.inbox.messages.length;
    const res = await agent.request(`${f.server.url}/forgot`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: f.server.url, "accept-language": "fr-FR" },
      body: new URLSearchParams({ csrf: csrfOf(page), email: "rosa@example.com" }),
    });
    assert.equal(res.status, 200);
    const mail = await f.inbox.next("rosa@example.com", { since });
    assert.equal(mail.subject, "Réinitialisez votre mot de passe");
    assert.match(mail.text, /Votre code est \d{6}, ou ouvrez ce lien/);
  });
});

describe("emails in the outbox", () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s?.close(); });

  it("an Arabic email's HTML part is right to left, in Arabic", async () => {
    const agent = new UserAgent();
    const first = await agent.request(authorizeUrl(s.url, { ui_locales: "ar" }));
    const pageUrl = new URL(first.headers.get("location")!, s.url);
    const html = await (await agent.request(pageUrl.toString())).text();
    const res = await agent.request(`${s.url}/signup`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: s.url },
      body: new URLSearchParams({ csrf: csrfOf(html), flow: pageUrl.searchParams.get("flow")!, email: "amal@example.com", password: "amals long password 1" }),
    });
    assert.equal(res.status, 303);
    let mail;
    for (let i = 0; i < 50 && !mail; i++) {
      mail = (await s.ctx.storage.outbox.list(10)).find((m) => m.to === "amal@example.com");
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(mail, "the verification email reached the outbox");
    assert.match(mail.subject, /^رمز التحقق الخاص بك هو \d{6}$/);
    assert.match(mail.html, /^<!doctype html>\n<html lang="ar" dir="rtl"><body>/);
  });
});

describe("pages the edge answers itself", () => {
  let f: AccountFixture;
  before(async () => { f = await setupAccounts(); });
  after(async () => { await f?.close(); });

  it("the sign-in hand-back's error pages are in the person's language", async () => {
    const res = await new UserAgent().request(`${f.server.url}/oauth2/authorize/resume?flow=nope`, { headers: { "accept-language": "ja" } });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.equal(htmlTag(html), '<html lang="ja" dir="ltr">');
    assert.match(html, /<h1>このサインインリンクは期限切れです<\/h1>/);
  });

  it("a request that cannot go back to the app is refused in the person's language, the OAuth error kept", async () => {
    const res = await new UserAgent().request(`${f.server.url}/oauth2/authorize?client_id=nobody&response_type=code&scope=openid`, { headers: { "accept-language": "ko" } });
    const html = await res.text();
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    assert.equal(htmlTag(html), '<html lang="ko" dir="ltr">');
    assert.match(html, /<h1>이 로그인 요청을 완료할 수 없습니다<\/h1>\n<p role="alert">invalid_client: unknown client_id<\/p>/);
  });

  it("the sign-out confirmation and the signed-out page follow ui_locales", async () => {
    await f.server.createUser("ines@example.com", "ines long password 1");
    const agent = new UserAgent();
    await finishAtApp(f.server, agent, await submitLogin(f.server, agent, "ines@example.com", "ines long password 1"));
    const res = await agent.request(`${f.server.url}/oauth2/end_session?ui_locales=ar`, { headers: { "sec-fetch-site": "cross-site", "accept-language": "en" } });
    const confirm = await res.text();
    assert.equal(htmlTag(confirm), '<html lang="ar" dir="rtl">');
    assert.match(confirm, /<h1>تسجيل الخروج؟<\/h1>/);
    assert.match(confirm, /<input type="hidden" name="ui_locales" value="ar">/, "kept for the confirming POST");
  });
});

describe("localization config", () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ config: { localization: { supported_languages: ["en", "es"], fallback_language: "es" } } }); });
  after(async () => { await s?.close(); });

  it("only supported languages are used, and the fallback when none matches", async () => {
    const agent = new UserAgent();
    const lang = async (path: string, header: string): Promise<string> =>
      /<html lang="([^"]+)"/.exec(await (await agent.request(`${s.url}${path}`, { headers: { "accept-language": header } })).text())![1];
    assert.equal(await lang("/login", "ja"), "es");
    assert.equal(await lang("/login", "ja, en;q=0.5"), "en");
    assert.equal(await lang("/login?ui_locales=fr", "en"), "en", "ui_locales naming an unsupported language falls through");
  });

  it("refuses unknown languages and a fallback outside the supported list, naming the field", () => {
    assert.throws(() => parseConfig({ localization: { supported_languages: ["en", "xx"] } }), /localization\.supported_languages\[1\]: must be one of the built-in languages: en, zh-CN/);
    assert.throws(() => parseConfig({ localization: { supported_languages: ["en"], fallback_language: "ja" } }), /localization\.fallback_language: must be one of supported_languages/);
  });
});
