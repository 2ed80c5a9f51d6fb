// Username login IDs, checked and normalised as Authgear does: NFKC, lowercased unless
// `case_sensitive`; with `ascii_only` only a-z, 0-9, _, - and .; otherwise any letters and digits
// of ONE writing system (Japanese and Korean may mix their scripts with Han), so a name cannot
// pass for another by swapping in look-alike letters (Cyrillic а for Latin a); never a reserved name.
import type { LoginIdConfig } from "../../config/identity.ts";
import { isCleanText } from "../../input/text.ts";
import { RESERVED_USERNAMES } from "./reserved-usernames.ts";
import type { Normalised } from "./result.ts";

const ASCII = /^[A-Za-z0-9_.-]+$/;
const UNICODE = /^[\p{L}\p{M}\p{N}_.-]+$/u;
const SCRIPTS = ["Latin", "Cyrillic", "Greek", "Armenian", "Hebrew", "Arabic", "Devanagari", "Bengali", "Thai", "Georgian", "Hangul", "Hiragana", "Katakana", "Han"] as const;
const SCRIPT_TESTS = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, "u")] as const);
/** Script sets that one language writes together. */
const COMBINED: string[][] = [["Han", "Hiragana", "Katakana"], ["Han", "Hangul"], ["Han", "Latin"]];

function scriptsOf(name: string): Set<string> {
  const found = new Set<string>();
  for (const ch of name) {
    if (!/\p{L}/u.test(ch)) continue;
    const hit = SCRIPT_TESTS.find(([, re]) => re.test(ch));
    found.add(hit ? hit[0] : "Other");
  }
  return found;
}

function singleWritingSystem(name: string): boolean {
  const scripts = [...scriptsOf(name)];
  if (scripts.length <= 1) return true;
  return COMBINED.some((set) => scripts.every((s) => set.includes(s)));
}

export function normaliseUsername(input: string, options: LoginIdConfig["types"]["username"]): Normalised {
  const original = input.trim();
  if (original === "") return { ok: false, reason: "required" };
  const folded = original.normalize("NFKC");
  if (!isCleanText(folded, "identifier")) return { ok: false, reason: "invalid_username" };
  if (!(options.ascii_only ? ASCII : UNICODE).test(folded)) return { ok: false, reason: "invalid_username" };
  if (!options.ascii_only && !singleWritingSystem(folded)) return { ok: false, reason: "mixed_script" };
  const loginId = options.case_sensitive ? folded : folded.toLowerCase();
  if (options.block_reserved_usernames && RESERVED_USERNAMES.has(folded.toLowerCase())) return { ok: false, reason: "reserved_username" };
  return { ok: true, loginId, original };
}
