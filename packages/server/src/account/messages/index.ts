// Message lookup by key: one catalogue per language, each a file with exactly en.ts's keys (the
// `Catalogue` type makes a missing or extra key a compile error; test/account/catalogues.test.ts
// checks that placeholders match). A new language is one more file and one line in CATALOGUES.
import { en, type Catalogue, type MessageKey } from "./en.ts";
import { ar } from "./ar.ts";
import { de } from "./de.ts";
import { es } from "./es.ts";
import { fr } from "./fr.ts";
import { ja } from "./ja.ts";
import { ko } from "./ko.ts";
import { pt } from "./pt.ts";
import { zhCN } from "./zh-CN.ts";
import { zhTW } from "./zh-TW.ts";
import { BUILT_IN_LANGUAGES, type LanguageTag } from "./languages.ts";
import { negotiateLanguage } from "./negotiate.ts";

export type { Catalogue, MessageKey };

export type Params = Record<string, string | number>;
/** Looks a key up in one language; `locale` says which (an email's <html lang dir> needs it). */
export type Translate = ((key: MessageKey, params?: Params) => string) & { readonly locale?: string };

// A Map, not an object: the tag comes from request headers, and an object would answer
// "constructor" or "__proto__" with Object.prototype's members (a 500 on every page).
// zh-HK reads Traditional Chinese as written for Taiwan; pt-BR is what pt.ts is written in.
const CATALOGUES = new Map<string, Catalogue>(([
  ["en", en], ["zh-CN", zhCN], ["zh-TW", zhTW], ["zh-HK", zhTW], ["ja", ja], ["ko", ko],
  ["es", es], ["fr", fr], ["de", de], ["pt", pt], ["pt-BR", pt], ["ar", ar],
] satisfies [LanguageTag, Catalogue][]));
export const DEFAULT_LOCALE = "en";
export { BUILT_IN_LANGUAGES };

/** The catalogues by tag, for the completeness test. */
export const catalogues = (): ReadonlyMap<string, Catalogue> => CATALOGUES;

/** The best built-in catalogue for an Accept-Language header alone (config-free callers and tests). */
export function pickLocale(acceptLanguage: string | undefined): string {
  return negotiateLanguage({ acceptLanguage }, { supported: BUILT_IN_LANGUAGES, fallback: DEFAULT_LOCALE });
}

export function translator(locale: string = DEFAULT_LOCALE): Translate {
  const known = CATALOGUES.has(locale) ? locale : DEFAULT_LOCALE;
  const catalogue = CATALOGUES.get(known)!;
  const t = (key: MessageKey, params: Params = {}): string =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
  return Object.assign(t, { locale: known });
}
