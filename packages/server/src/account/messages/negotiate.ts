// Which language a hosted page or email is in. In order: the app's `ui_locales` (OIDC Core §3.1.2.1:
// space-separated BCP 47 tags, most preferred first; from the page's query or the stored sign-in
// flow), then the `ui_locales` cookie our authorize endpoint sets (Authgear keeps the same cookie so
// later pages of the flow stay in that language), then Accept-Language by q-value (RFC 9110 §12.5.4),
// then `localization.fallback_language`.

export interface LanguageSources {
  uiLocales?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}

export interface LanguageSettings {
  /** Canonical tags from the built-in list (localization.supported_languages). */
  supported: readonly string[];
  fallback: string;
}

/**
 * Catalogues that read right for a tag that is not itself supported, best first: the same script
 * under another region. Keys are lower case. (RFC 4647 §3.4 lookup removes subtags from the end:
 * "zh-Hant-HK" → "zh-hant" → "zh".)
 */
const SIMPLIFIED = ["zh-CN"];
const TRADITIONAL = ["zh-TW", "zh-HK"];
const ALIASES = new Map<string, string[]>([
  ["zh", [...SIMPLIFIED, ...TRADITIONAL]], ["zh-hans", SIMPLIFIED], ["zh-sg", SIMPLIFIED], ["zh-cn", SIMPLIFIED],
  ["zh-hant", TRADITIONAL], ["zh-tw", TRADITIONAL], ["zh-mo", TRADITIONAL], ["zh-hk", ["zh-HK", "zh-TW"]],
  ["pt", ["pt", "pt-BR"]], ["pt-br", ["pt-BR", "pt"]], ["pt-pt", ["pt", "pt-BR"]], ["pt-ao", ["pt", "pt-BR"]], ["pt-mz", ["pt", "pt-BR"]],
]);

/** At most this many tags are looked at per source: a header is attacker-sized. */
const MAX_TAGS = 20;
const TAG = /^[a-z]{1,8}(-[a-z0-9]{1,8})*$/;

/** The supported tag a requested tag resolves to (RFC 4647 lookup, with the aliases above), or null. */
const lowerCaseIndex = new WeakMap<readonly string[], Map<string, string>>();
function indexOf(supported: readonly string[]): Map<string, string> {
  let index = lowerCaseIndex.get(supported);
  if (!index) lowerCaseIndex.set(supported, (index = new Map(supported.map((s) => [s.toLowerCase(), s]))));
  return index;
}

export function matchLanguage(requested: string, supported: readonly string[]): string | null {
  const byLower = indexOf(supported);
  let range = requested.trim().toLowerCase().replace(/_/g, "-");
  if (!TAG.test(range)) return null;
  while (range) {
    const exact = byLower.get(range);
    if (exact) return exact;
    const alias = ALIASES.get(range)?.find((tag) => byLower.has(tag.toLowerCase()));
    if (alias) return alias;
    range = range.includes("-") ? range.slice(0, range.lastIndexOf("-")) : "";
  }
  return null;
}

/** `ui_locales`: space-separated tags, in the order given. */
export function parseUiLocales(value: string | null | undefined): string[] {
  return (value ?? "").split(/\s+/).filter(Boolean).slice(0, MAX_TAGS);
}

/** Accept-Language: tags by descending q (stable for equal q), without `*` and q=0. */
export function parseAcceptLanguage(value: string | null | undefined): string[] {
  return (value ?? "")
    .split(",")
    .slice(0, MAX_TAGS)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((w) => w.tag && w.tag !== "*" && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((w) => w.tag);
}

export function negotiateLanguage(sources: LanguageSources, settings: LanguageSettings): string {
  const wanted = [...parseUiLocales(sources.uiLocales), ...parseUiLocales(sources.cookie), ...parseAcceptLanguage(sources.acceptLanguage)];
  for (const tag of wanted) {
    const match = matchLanguage(tag, settings.supported);
    if (match) return match;
  }
  return settings.fallback;
}

/** Scripts written right to left among our languages (and the common ones a catalogue may add). */
const RTL = new Set(["ar", "he", "fa", "ur"]);
export const textDirection = (tag: string): "ltr" | "rtl" => (RTL.has(tag.split("-")[0].toLowerCase()) ? "rtl" : "ltr");
