// fast-check generators of hostile input: strings, their (mis)encodings, parameter lists, headers,
// cookies and bodies. `huge` caps the largest value (about 1 MB in `npm run fuzz`).
import fc from "fast-check";

export const PROTO_NAMES = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "prototype", "__defineGetter__", "isPrototypeOf"];

const NASTY = [
  "", "\u0000", "a\u0000b", "\u0001", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\r\n", "\n", "\t", " ", "\u202e", "\u202a", "\u2066", "\u2069",
  "\u200f", "\u061c", "\ufeff", "\u200b", "\ud800", "\udfff", "x\ud83d", "\uffff", "\ufffd", "é", "😀", "ﷺ", "𝕏", "İ", "ß",
  ...PROTO_NAMES, "[]", "[0]", "a[b]", "a.b", "../", "..%2F", "\\", "'", "\"", "<script>", "${x}", "{{x}}", "%s%n", "NaN", "Infinity", "-1", "-0",
  "1e400", "0x10", "9007199254740993", "null", "undefined", "true", "[object Object]", "{}", "[]", "%", "+", "&", "=", ";", ",", "#", "?",
];
const PERCENT_JUNK = ["%", "%z", "%zz", "%4", "%E2%82", "%ED%A0%80", "%ED%BF%BF", "%FF", "%FE%FF", "%C0%AF", "%C0%80", "%F4%90%80%80", "%00", "%0D%0A", "%25", "%u0041"];

export interface Limits {
  huge: number;
}

export function hostileString(limits: Limits): fc.Arbitrary<string> {
  const long = (max: number) => fc.tuple(fc.integer({ min: 1000, max }), fc.constantFrom("a", "\u0000", "é", "%", "😀", "\ud800")).map(([n, c]) => c.repeat(Math.ceil(n / c.length)));
  // Huge values are rare per string (a case holds a dozen strings): most cases should get past the
  // size limits and reach the endpoint's own logic.
  return fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 30, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
    { weight: 20, arbitrary: fc.string({ unit: "grapheme-ascii", maxLength: 30 }) },
    { weight: 25, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })).map((p) => p.join("")) },
    { weight: 5, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => `a${String.fromCharCode(c)}b`) },
    { weight: 4, arbitrary: long(Math.min(limits.huge, 5000)) },
    { weight: 1, arbitrary: long(Math.max(1000, limits.huge)) },
  );
}

/** A value as it may appear in a URL or form: well encoded, raw, mis-encoded or broken. */
export type Encoding = "encoded" | "raw" | "junk" | "plus";

export function encodeComponent(value: string, how: Encoding, junk: string): string {
  switch (how) {
    case "raw":
      return value;
    case "plus":
      return percentEncode(value).replace(/%20/g, "+");
    case "junk": {
      const enc = percentEncode(value);
      const at = enc.length === 0 ? 0 : Math.floor(enc.length / 2);
      return enc.slice(0, at) + junk + enc.slice(at);
    }
    default:
      return percentEncode(value);
  }
}

/** UTF-8 percent-encoding of everything but unreserved characters (lone surrogates become U+FFFD). */
export function percentEncode(value: string): string {
  try {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  } catch {
    return Buffer.from(value, "utf8").toString("hex").replace(/../g, "%$&");
  }
}

export interface Pair {
  key: string;
  value: string;
  keyHow: Encoding;
  valueHow: Encoding;
  junk: string;
}

/** A parameter list: known names (so duplicates happen), prototype names and junk names. */
export function pairs(names: string[], values: fc.Arbitrary<string>, limits: Limits, maxLength = 8): fc.Arbitrary<Pair[]> {
  const key = fc.oneof(
    { weight: 6, arbitrary: names.length ? fc.constantFrom(...names) : fc.constant("x") },
    { weight: 2, arbitrary: fc.constantFrom(...PROTO_NAMES) },
    { weight: 2, arbitrary: hostileString({ huge: Math.min(limits.huge, 5000) }) },
  );
  const how = fc.constantFrom<Encoding>("encoded", "encoded", "encoded", "raw", "junk", "plus");
  return fc.array(fc.record({ key, value: values, keyHow: how, valueHow: how, junk: fc.constantFrom(...PERCENT_JUNK) }), { maxLength });
}

export function renderPairs(list: Pair[]): string {
  return list.map((p) => `${encodeComponent(p.key, p.keyHow, p.junk)}=${encodeComponent(p.value, p.valueHow, p.junk)}`).join("&");
}

/** Header values are bytes: non-latin1 code units are cut to their low byte by the raw client. */
export function headerValue(limits: Limits): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: hostileString({ huge: Math.min(limits.huge, 200_000) }) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTO_NAMES) },
    { weight: 1, arbitrary: fc.constant("") },
  );
}

export function acceptLanguage(limits: Limits): fc.Arbitrary<string | null> {
  return fc.oneof(
    fc.constant(null),
    fc.constantFrom(...PROTO_NAMES, "*", "en", "en-US,en;q=0.9", "en;q=NaN", "en;q=-1", "de;q=2", ";;;", ",", "q=1", "zh-Hant-TW-x-private", "en;q=0.5;q=0.7"),
    fc.array(fc.constantFrom(...PROTO_NAMES, "en", "fr", "*"), { maxLength: 5 }).map((tags) => tags.join(", ")),
    headerValue(limits),
  );
}

export function contentType(expected: string): fc.Arbitrary<string | null> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(expected) },
    { weight: 4, arbitrary: fc.constantFrom<string | null>(
      null, "", "application/x-www-form-urlencoded", "application/json", "text/plain", "multipart/form-data; boundary=x", "application/xml",
      "application/x-www-form-urlencoded; charset=utf-16", "application/json; charset=latin1", "APPLICATION/JSON", "application/json\u0000",
      "application/x-www-form-urlencoded;;;", "*/*", "application/merge-patch+json", "constructor", "__proto__",
    ) },
  );
}

/** Cookies: the hostile ones from the issue, prototype names, broken escapes, and sometimes the real thing. */
export function cookieHeader(real: string[], limits: Limits): fc.Arbitrary<string | null> {
  const piece = fc.oneof(
    fc.constantFrom("session=%zz", "session=%", "session=%E2%82", "session=%00", "session=", "session", "=x", "session=a.b", "session=\"quoted\"",
      "__proto__=1", "constructor=1", "toString=x", "gh_csrf=%zz", "gh_pending=%zz", "gh_pending=a.b", "session=a; session=b"),
    ...(real.length ? [fc.constantFrom(...real)] : []),
    fc.tuple(fc.constantFrom("session", "gh_csrf", "gh_pending", "__proto__", "x"), headerValue({ huge: Math.min(limits.huge, 20_000) })).map(([k, v]) => `${k}=${v}`),
  );
  return fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join("; ")) });
}

export function authorization(real: string[], limits: Limits): fc.Arbitrary<string | null> {
  return fc.oneof(
    fc.constant(null),
    ...(real.length ? [fc.constantFrom(...real)] : []),
    fc.constantFrom("Bearer", "Bearer ", "Bearer %zz", "Bearer \u0000", "Basic", "Basic %zz", "Basic Og==", "Basic " + Buffer.from(":::").toString("base64"),
      "Basic " + Buffer.from("test-spa:\u0000").toString("base64"), "Basic " + Buffer.from("%zz:%zz").toString("base64"), "DPoP x", "bearer gha_x_y",
      "Bearer gha_" + "0".repeat(32) + "_" + "A".repeat(43), "Bearer eyJhbGciOiJub25lIn0.e30.", "Bearer a.b.c"),
    headerValue(limits).map((v) => `Bearer ${v}`),
    headerValue(limits).map((v) => `Basic ${Buffer.from(v, "latin1").toString("base64")}`),
  );
}

export function extraHeaders(limits: Limits): fc.Arbitrary<[string, string][]> {
  const name = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("x-fuzz", "origin", "referer", "x-forwarded-for", "x-forwarded-proto", "last-event-id", "if-none-match", "range", "expect", "transfer-encoding", "content-encoding", "user-agent", "accept", "x-authgear-sdk-version", "sec-fetch-site", "host") },
    { weight: 1, arbitrary: fc.constantFrom(...PROTO_NAMES) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 }) },
  );
  const few = fc.array(fc.tuple(name, headerValue(limits)), { maxLength: 4 });
  const many = fc.integer({ min: 50, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => [`x-many-${i}`, "v".repeat(20)] as [string, string]));
  return fc.oneof({ weight: 9, arbitrary: few }, { weight: 1, arbitrary: many });
}

/** JSON bodies for the admin API: objects of the route's fields with hostile values, deep nesting, prototype keys. */
export function jsonBody(fields: string[], limits: Limits): fc.Arbitrary<string> {
  const value = fc.oneof(
    { weight: 4, arbitrary: hostileString(limits) as fc.Arbitrary<unknown> },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown> },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, 0, -1, 1e308, 300, 86400, "", [], {}, [""], { __proto__: null }) },
  );
  const key = fc.oneof({ weight: 5, arbitrary: fields.length ? fc.constantFrom(...fields) : fc.constant("x") }, { weight: 2, arbitrary: fc.constantFrom(...PROTO_NAMES) }, { weight: 1, arbitrary: hostileString({ huge: 2000 }) });
  const object = fc.array(fc.tuple(key, value), { maxLength: 6 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`);
  const deep = fc.tuple(fc.integer({ min: 100, max: Math.max(200, Math.min(limits.huge / 4, 100_000)) }), fc.constantFrom("[", '{"a":', '{"__proto__":')).map(([depth, open]) => {
    const close = open === "[" ? "]" : "}";
    return open.repeat(depth) + "1" + close.repeat(depth);
  });
  const protoPollution = fc.constantFrom('{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"email":"a@b.co","__proto__":{"password":"x"}}', '{"reason":{"toString":1}}');
  const broken = fc.constantFrom("", "{", "[", "nul", '{"a":1,}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', "\u0000", '"just a string"', "1", "null", '{"email":"a\u0000@b.co"}');
  return fc.oneof({ weight: 6, arbitrary: object }, { weight: 1, arbitrary: deep }, { weight: 1, arbitrary: protoPollution }, { weight: 2, arbitrary: broken });
}
