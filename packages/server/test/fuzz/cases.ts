// From an endpoint's description to hostile requests: random ones (fast-check) and a fixed corpus
// of the cases the attack run of issue 11 found, so those are tried on every run.
import fc from "fast-check";
import type { RawRequest } from "./raw-http.ts";
import type { EndpointSpec } from "./endpoints.ts";
import type { Seeds } from "./target.ts";
import {
  PROTO_NAMES, acceptLanguage, authorization, contentType, cookieHeader, encodeComponent, extraHeaders, hostileString, jsonBody, pairs,
  percentEncode, renderPairs, type Limits, type Pair,
} from "./arbitraries.ts";

export interface Case extends RawRequest {
  /** A real session cookie, pending-login cookie or admin key went with it (the resolver may then say valid). */
  realCredential: boolean;
  label?: string;
}

const CSRF = "C".repeat(43);
/** Header values are sent as their UTF-8 bytes (the raw client writes latin1: one char, one byte). */
const bytes = (v: string): string => Buffer.from(v, "utf8").toString("latin1");
const basePairs = (base: Record<string, string>): Pair[] => Object.entries(base).map(([key, value]) => ({ key, value, keyHow: "encoded", valueHow: "encoded", junk: "" }));

/** Hostile pairs either replace the valid request's values (to get deep) or are appended (duplicates). */
function mixed(base: Record<string, string>, hostile: Pair[], replace: boolean): Pair[] {
  if (!replace) return [...basePairs(base), ...hostile];
  const out = basePairs(base);
  for (const p of hostile) {
    const i = out.findIndex((o) => o.key === p.key);
    if (i >= 0) out[i] = p;
    else out.push(p);
  }
  return out;
}

export function caseArbitrary(spec: EndpointSpec, seeds: Seeds, issuer: string, limits: Limits): fc.Arbitrary<Case> {
  const realValues = [seeds.flowId, seeds.userId, seeds.session, seeds.email, "test-spa", "http://127.0.0.1:9/callback", "openid", "code", "1", seeds.pendingTotp];
  const values = fc.oneof({ weight: 3, arbitrary: hostileString(limits) }, { weight: 1, arbitrary: fc.constantFrom(...realValues) });
  const segments = [...spec.path.matchAll(/:([a-z]+)/g)].map((m) => m[1]);
  const real = spec.pathValues?.(seeds) ?? {};
  const segment = (name: string): fc.Arbitrary<string> => fc.oneof(
    { weight: 3, arbitrary: fc.tuple(hostileString({ huge: Math.min(limits.huge, 3000) }), fc.constantFrom("encoded", "raw", "junk" as const), fc.constantFrom("%zz", "%", "%00", "%2F", "%ED%A0%80"))
      .map(([v, how, junk]) => encodeComponent(v, how, junk) || "x") },
    ...((real[name] ?? []).length ? [{ weight: 1, arbitrary: fc.constantFrom(...real[name]) }] : []),
  );
  const path = segments.length === 0 ? fc.constant(spec.path)
    : fc.tuple(...segments.map(segment)).map((vals) => segments.reduce((p, name, i) => p.replace(`:${name}`, vals[i]), spec.path));
  const base = spec.base?.(seeds) ?? {};
  const queryNames = spec.query ?? [];
  // Often a single hostile pair in an otherwise valid request: that is what gets past the first checks.
  const someOrOne = (names: string[], max: number) => fc.oneof(pairs(names, values, limits, max), pairs(names, values, limits, 1));
  const query = fc.tuple(fc.boolean(), someOrOne(queryNames, 8), fc.constantFrom("", "", "", "", "#frag", "&", "&&", "?", "%", "=&=", "&a[b]=1&a[c]=2", "&__proto__[x]=1"), fc.boolean())
    .map(([replace, list, tail, useBase]) => {
      const all = useBase && Object.keys(base).length && !spec.body ? mixed(base, list, replace) : list;
      const q = renderPairs(all) + tail;
      return q ? `?${q}` : "";
    });

  const realCookies = spec.cookies?.(seeds) ?? [];
  const realAuth = spec.authorizations?.(seeds) ?? [];
  const csrfMode = spec.csrf ? fc.constantFrom("valid", "valid", "valid", "none", "mismatch") : fc.constant("none");
  const formBody = spec.body?.kind === "form"
    ? fc.tuple(fc.boolean(), someOrOne(spec.body.fields, 10)).map(([replace, list]) => (b: Record<string, string>) => renderPairs(mixed(b, list, replace)))
    : fc.constant(null);
  const json = spec.body?.kind === "json" ? jsonBody(spec.body.fields, limits) : fc.constant(null);
  const huge = fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 65_000, max: limits.huge }) });
  const expected = spec.body?.kind === "json" ? "application/json" : "application/x-www-form-urlencoded";

  return fc.record({
    path, query, csrfMode, formBody, json, huge,
    cookie: cookieHeader(realCookies, limits),
    auth: authorization(realAuth, limits),
    lang: acceptLanguage(limits),
    origin: fc.oneof(fc.constant(null), fc.constant(issuer), fc.constantFrom("null", "https://evil.example", issuer + ".evil.example", "http://127.0.0.1:9")),
    type: spec.body ? contentType(expected) : fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: contentType(expected) }),
    strayBody: spec.body ? fc.constant(null) : fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: hostileString(limits) }),
    extra: extraHeaders(limits),
  }).map((r): Case => {
    const headers: [string, string][] = [];
    const cookies: string[] = r.cookie ? [r.cookie] : [];
    let csrfField: Record<string, string> = {};
    if (r.csrfMode === "valid") { cookies.push(`gh_csrf=${CSRF}`); csrfField = { csrf: CSRF }; }
    if (r.csrfMode === "mismatch") { cookies.push(`gh_csrf=${CSRF}`); csrfField = { csrf: "D".repeat(43) }; }
    if (cookies.length) headers.push(["cookie", bytes(cookies.join("; "))]);
    if (r.auth !== null) headers.push(["authorization", bytes(r.auth)]);
    if (r.lang !== null) headers.push(["accept-language", bytes(r.lang)]);
    if (r.origin !== null) headers.push(["origin", r.origin]);
    if (r.type !== null) headers.push(["content-type", bytes(r.type)]);
    for (const [name, value] of r.extra) headers.push([bytes(name), bytes(value)]);
    let body: Buffer | undefined;
    if (r.huge !== null) body = Buffer.alloc(r.huge, "a");
    else if (r.formBody) body = Buffer.from(r.formBody({ ...base, ...csrfField }), "utf8");
    else if (r.json !== null) body = Buffer.from(r.json, "utf8");
    else if (r.strayBody !== null) body = Buffer.from(r.strayBody, "utf8");
    const text = `${r.cookie ?? ""} ${r.auth ?? ""}`;
    const realCredential = [seeds.session, seeds.pendingTotp, seeds.pendingVerify, seeds.adminKey].some((v) => text.includes(v));
    return { method: spec.method, target: r.path + r.query, headers, body, realCredential };
  });
}

/** The hostile inputs the attack run of issue 11 (and this suite's first runs) found; tried on every run. */
export function fixedCases(spec: EndpointSpec, seeds: Seeds): Case[] {
  const target = spec.path.replace(/:[a-z]+/g, "%00");
  const realAuth = spec.authorizations?.(seeds) ?? [];
  const auth: [string, string][] = realAuth.length ? [["authorization", realAuth[0]]] : [];
  const type: [string, string][] = spec.body ? [["content-type", spec.body.kind === "json" ? "application/json" : "application/x-www-form-urlencoded"]] : [];
  const csrf: [string, string][] = spec.csrf ? [["cookie", `gh_csrf=${CSRF}`]] : [];
  const csrfField = spec.csrf ? `csrf=${CSRF}&` : "";
  const c = (label: string, over: Partial<Case>): Case => ({ method: spec.method, target, headers: [...auth, ...type], realCredential: false, label, ...over });
  const out: Case[] = [
    c("Cookie: session=%zz", { headers: [...auth, ...type, ["cookie", "session=%zz"]] }),
    c("Cookie: session=%E2%82; gh_pending=%zz", { headers: [...auth, ...type, ["cookie", "session=%E2%82; gh_pending=%zz"]] }),
    ...PROTO_NAMES.slice(0, 3).map((tag) => c(`Accept-Language: ${tag}`, { headers: [...auth, ...type, ["accept-language", tag]] })),
    c("NUL in every parameter", { target: `${target}?${[...(spec.query ?? []), "flow", "query", "target_id"].map((k) => `${k}=%00`).join("&")}` }),
    c("malformed percent-encoding in the query", { target: `${target}?%zz=%E2%82&flow=%` }),
  ];
  if (spec.body) {
    const fields = spec.body.fields.filter((f) => f !== "csrf");
    const nulForm = `${csrfField}${fields.map((f) => `${f}=a%00b`).join("&")}`;
    const nulJson = JSON.stringify(Object.fromEntries(fields.map((f) => [f, "a\u0000@example.com"])));
    out.push(
      c("NUL in every field", { headers: [...auth, ...type, ...csrf], body: Buffer.from(spec.body.kind === "json" ? nulJson : nulForm) }),
      // Issue 11 item 6: the limit must apply to the declared length, before anything is read.
      c("Content-Length: 268435456 declared, nothing sent", { headers: [...auth, ...type, ...csrf, ["content-length", "268435456"]] }),
      c("a 1 MB body", { headers: [...auth, ...type, ...csrf], body: Buffer.alloc(1_000_000, "a") }),
    );
    if (spec.body.kind === "json") {
      out.push(
        c("JSON nested 100,000 deep", { headers: [...auth, ...type], body: Buffer.from("[".repeat(100_000) + "]".repeat(100_000)) }),
        c("JSON __proto__ key", { headers: [...auth, ...type], body: Buffer.from('{"__proto__":{"x":1},"constructor":{"prototype":{"y":1}}}') }),
        c("JSON email with U+202E", { headers: [...auth, ...type], body: Buffer.from(JSON.stringify({ email: "ad\u202enimda@example.com", password: "long-enough-1" })) }),
      );
    }
  }
  return out.map((x) => ({ ...x, target: x.target.replace(/ /g, percentEncode(" ")) }));
}
