// Every language has every key, with the same placeholders as English, and language negotiation
// follows ui_locales, then the cookie, then Accept-Language by q-value, then the fallback.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { BUILT_IN_LANGUAGES, catalogues, translator } from "../../src/account/messages/index.ts";
import { en } from "../../src/account/messages/en.ts";
import { matchLanguage, negotiateLanguage, parseAcceptLanguage, textDirection } from "../../src/account/messages/negotiate.ts";

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const ALL = { supported: BUILT_IN_LANGUAGES, fallback: "en" };
/** Keys whose English text is also right in some language ("App: {client}" in German). */
const SAME_AS_ENGLISH_OK = new Set(["settings.sessions.app"]);

describe("message catalogues", () => {
  it("ships the languages the issue names, each with its own catalogue", () => {
    assert.deepEqual([...catalogues().keys()], [...BUILT_IN_LANGUAGES]);
    for (const tag of ["en", "zh-CN", "zh-TW", "zh-HK", "ja", "ko", "es", "fr", "de", "pt", "pt-BR", "ar"]) assert.ok(catalogues().has(tag), tag);
  });

  it("every language has every English key, no other key, nothing empty, and the same placeholders", () => {
    const keys = Object.keys(en).sort();
    for (const [tag, catalogue] of catalogues()) {
      assert.deepEqual(Object.keys(catalogue).sort(), keys, `${tag}: keys differ from en.ts`);
      for (const key of keys) {
        const text = catalogue[key as keyof typeof en];
        assert.ok(text.trim().length > 0, `${tag} ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(en[key as keyof typeof en]), `${tag} ${key}: placeholders differ`);
      }
    }
  });

  it("translations are translations: apart from names, no language repeats the English text of a sentence", () => {
    for (const [tag, catalogue] of catalogues()) {
      if (tag === "en") continue;
      const same = Object.entries(catalogue).filter(([k, v]) => v === en[k as keyof typeof en] && v.length > 12 && !SAME_AS_ENGLISH_OK.has(k)).map(([k]) => k);
      assert.deepEqual(same, [], `${tag} copies English for these keys`);
    }
  });

  it("fills placeholders in any language", () => {
    assert.equal(translator("ja")("verify.intro", { email: "a@b.c" }), "a@b.c に6桁のコードを送信しました。有効期限は5分です。");
    assert.equal(translator("ar")("login.heading_app", { app: "X" }), "تسجيل الدخول إلى X");
  });
});

describe("language negotiation", () => {
  it("ui_locales comes first, in the order given, then the cookie, then Accept-Language", () => {
    assert.equal(negotiateLanguage({ uiLocales: "ja ko", cookie: "fr", acceptLanguage: "de" }, ALL), "ja");
    assert.equal(negotiateLanguage({ uiLocales: "tlh ko", acceptLanguage: "de" }, ALL), "ko", "an unknown tag is skipped");
    assert.equal(negotiateLanguage({ uiLocales: "", cookie: "fr", acceptLanguage: "de" }, ALL), "fr");
    assert.equal(negotiateLanguage({ acceptLanguage: "de" }, ALL), "de");
    assert.equal(negotiateLanguage({}, ALL), "en");
    assert.equal(negotiateLanguage({ acceptLanguage: "tlh" }, { supported: ["en", "es"], fallback: "es" }), "es", "the configured fallback");
  });

  it("Accept-Language is read by q-value (RFC 9110 §12.5.4), skipping q=0 and *", () => {
    assert.deepEqual(parseAcceptLanguage("fr;q=0.5, de, ko;q=0.9, ja;q=0, *;q=0.8"), ["de", "ko", "fr"]);
    assert.equal(negotiateLanguage({ acceptLanguage: "fr;q=0.5, ar;q=0.7" }, ALL), "ar");
    assert.equal(negotiateLanguage({ acceptLanguage: "ja;q=0, es;q=0.1" }, ALL), "es");
  });

  it("matches regions and scripts to the catalogue that reads right (RFC 4647 lookup)", () => {
    const cases: [string, string][] = [
      ["zh-Hans-CN", "zh-CN"], ["zh-SG", "zh-CN"], ["zh", "zh-CN"], ["zh-CN", "zh-CN"],
      ["zh-Hant", "zh-TW"], ["zh-TW", "zh-TW"], ["zh-HK", "zh-HK"], ["zh-Hant-HK", "zh-TW"], ["zh-MO", "zh-TW"],
      ["pt-BR", "pt-BR"], ["pt-PT", "pt"], ["pt", "pt"], ["fr-CA", "fr"], ["de-AT", "de"], ["es-419", "es"], ["en_US", "en"], ["AR-EG", "ar"],
    ];
    for (const [asked, got] of cases) assert.equal(matchLanguage(asked, BUILT_IN_LANGUAGES), got, asked);
    assert.equal(matchLanguage("ja", ["en", "fr"]), null, "only supported languages");
    assert.equal(matchLanguage("zh-HK", ["en", "zh-TW"]), "zh-TW", "Traditional for Hong Kong when zh-HK is not offered");
    assert.equal(matchLanguage("zh-Hant", ["en", "zh-HK"]), "zh-HK");
    assert.equal(matchLanguage("zh-HK", ["en", "zh-CN"]), "zh-CN", "Chinese at all beats the fallback");
    assert.equal(matchLanguage("pt-BR", ["en", "pt"]), "pt");
    assert.equal(matchLanguage("pt", ["en", "pt-BR"]), "pt-BR");
    for (const junk of ["__proto__", "constructor", "../../etc", "a".repeat(100), ""]) assert.equal(matchLanguage(junk, BUILT_IN_LANGUAGES), null, junk);
  });

  it("Arabic is right to left, the others left to right", () => {
    assert.equal(textDirection("ar"), "rtl");
    for (const tag of BUILT_IN_LANGUAGES.filter((t) => t !== "ar")) assert.equal(textDirection(tag), "ltr", tag);
  });
});
