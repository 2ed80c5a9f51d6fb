// The unregistered redirect URIs Gatehouse accepts (its own settings pages) and the app_session_token
// login hint, as plain functions.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isHostedPageRedirect } from "../../src/oauth/authorize/hosted-pages.ts";
import { appSessionTokenOf, parseLoginHint } from "../../src/oauth/authorize/login-hint.ts";

const ISSUER = "https://id.example.com";

describe("isHostedPageRedirect", () => {
  it("accepts the settings pages, with the query the SDKs' openURL adds", () => {
    for (const ok of [
      "https://id.example.com/settings", "https://id.example.com/settings?", "https://id.example.com/settings/identities",
      "https://id.example.com/settings?ui_locales=ja", "https://id.example.com/settings?ui_locales=zh-TW%20en&x_color_scheme=dark",
      "https://id.example.com/settings?x_color_scheme=auto",
    ]) assert.equal(isHostedPageRedirect(ISSUER, ok), true, ok);
  });

  it("refuses anything that only looks like them", () => {
    for (const bad of [
      "https://id.example.com/settings/../oauth2/token", "https://id.example.com/settings/./", "https://id.example.com/settings%2F..%2Foauth2",
      "https://id.example.com/settingsX", "https://id.example.com/settings/", "https://id.example.com//settings", "https://id.example.com/SETTINGS",
      "https://id.example.com/settings#frag", "https://id.example.com/settings?#", "https://id.example.com/settings?next=/oauth2",
      "https://id.example.com/settings?ui_locales=ja&", "https://id.example.com/settings?ui_locales=%0d%0aSet-Cookie", "https://id.example.com/settings?x_color_scheme=red",
      "https://id.example.com/settings?ui_locales=ja&ui_locales=en&redirect_uri=x", "https://evil.example/settings", "http://id.example.com/settings",
      "https://id.example.com:444/settings", "https://id.example.com.evil.example/settings", "https://id.example.com@evil.example/settings",
      "https://id.example.com/settings\\..\\oauth2", "https://id.example.com/settings/delete_account", "https://id.example.com/settings/change_password",
      "https://id.example.com/login", "https://id.example.com", "", "/settings", "javascript:alert(1)//https://id.example.com/settings",
      "https://id.example.com/settings\u0000", "https://id.example.com/settings ", "https://id.example.com/settings?ui_locales=" + "a".repeat(201),
    ]) assert.equal(isHostedPageRedirect(ISSUER, bad), false, JSON.stringify(bad));
  });
});

describe("appSessionTokenOf", () => {
  it("reads only Authgear's app_session_token hint", () => {
    assert.equal(appSessionTokenOf("https://authgear.com/login_hint?type=app_session_token&app_session_token=abc"), "abc");
    assert.equal(appSessionTokenOf("https://authgear.com/login_hint?type=app_session_token"), "");
    assert.equal(appSessionTokenOf("https://authgear.com/login_hint?type=login_id&email=a%40b.c&app_session_token=abc"), null);
    assert.equal(appSessionTokenOf("https://evil.example/login_hint?type=app_session_token&app_session_token=abc"), null);
    assert.equal(appSessionTokenOf("alice@example.com"), null);
    assert.equal(appSessionTokenOf(undefined), null);
  });

  it("leaves the sign-in page's login ID prefill alone", () => {
    assert.equal(parseLoginHint("https://authgear.com/login_hint?type=app_session_token&app_session_token=abc"), null);
    assert.equal(parseLoginHint("https://authgear.com/login_hint?type=login_id&email=a%40b.c"), "a@b.c");
  });
});
