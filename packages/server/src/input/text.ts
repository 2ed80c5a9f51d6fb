// One validator for every string a user (or a client, or an operator) hands us. Three kinds:
//  - "text": free text that may span lines (passwords, reasons): no C0 control except tab, LF and
//    CR, no DEL, no U+FFFD (what invalid UTF-8 decodes to), no lone surrogate (it cannot be encoded
//    as UTF-8 at all, and PostgreSQL refuses it just as it refuses NUL);
//  - "line": one line (names, OAuth parameters): the same, and no line breaks or tabs either;
//  - "identifier": what is compared or shown as a name (emails, ids, search terms): also no C1
//    controls and no invisible direction controls (U+061C, U+200E/F, U+202A–U+202E,
//    U+2066–U+2069), which make one address look like another (CVE-2021-42574 "Trojan Source").
export type TextKind = "text" | "line" | "identifier";

const TEXT_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
const LINE_FORBIDDEN = /[\u0000-\u001F\u007F\uFFFD]/;
const IDENTIFIER_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\uFFFD\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const FORBIDDEN: Record<TextKind, RegExp> = { text: TEXT_FORBIDDEN, line: LINE_FORBIDDEN, identifier: IDENTIFIER_FORBIDDEN };

// With the u flag a well-paired surrogate is one code point; only a lone half matches \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;
const hasLoneSurrogate = (value: string): boolean => LONE_SURROGATE.test(value);

/** Why `value` is not acceptable as this kind of text, or null when it is. */
export function textProblem(value: string, kind: TextKind): string | null {
  if (hasLoneSurrogate(value)) return "contains an unpaired surrogate (not valid Unicode)";
  const bad = FORBIDDEN[kind].exec(value);
  if (!bad) return null;
  const code = bad[0].codePointAt(0)!;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return code === 0 ? "contains a NUL character" : code === 0xfffd ? "contains invalid UTF-8" : `contains the control character ${name}`;
}

export const isCleanText = (value: string, kind: TextKind): boolean => textProblem(value, kind) === null;
