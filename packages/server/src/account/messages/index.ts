// Message lookup by key. English is the only catalogue so far; a new language is one more file with
// the same keys (the type below makes a missing key a compile error) and one line in CATALOGUES.
import { en, type MessageKey } from "./en.ts";

export type { MessageKey };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

// A Map, not an object: the locale comes from the Accept-Language header, and an object would
// answer "constructor" or "__proto__" with Object.prototype's members (a 500 on every page).
const CATALOGUES = new Map<string, Record<MessageKey, string>>([["en", en]]);
export const DEFAULT_LOCALE = "en";

/** The best catalogue for an Accept-Language header (RFC 9110 §12.5.4), by language tag prefix. */
export function pickLocale(acceptLanguage: string | undefined): string {
  const wanted = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...rest] = part.trim().toLowerCase().split(";");
      const q = rest.map((r) => /^\s*q=([\d.]+)/.exec(r)?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q) };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const w of wanted) {
    const base = w.tag.split("-")[0];
    if (CATALOGUES.has(w.tag)) return w.tag;
    if (CATALOGUES.has(base)) return base;
  }
  return DEFAULT_LOCALE;
}

export function translator(locale: string = DEFAULT_LOCALE): Translate {
  const catalogue = CATALOGUES.get(locale) ?? en;
  return (key, params = {}) => catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
