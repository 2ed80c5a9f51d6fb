// Runs hostile cases against one endpoint and judges each answer: a 4xx (or a 2xx/3xx the endpoint
// legitimately gives), never a 5xx, never silence or a hang, and no stored row changed beyond what
// the endpoint may legitimately write.
import fc from "fast-check";
import { sendRaw, type RawResponse } from "./raw-http.ts";
import { caseArbitrary, fixedCases, type Case } from "./cases.ts";
import type { EndpointSpec } from "./endpoints.ts";
import { changedTables, type FuzzTarget } from "./target.ts";

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Largest generated value, in characters/bytes. */
  huge: number;
  timeoutMs: number;
  /** Compare table fingerprints every this many cases (1 = after each case). */
  snapshotEvery: number;
}

export interface Failure {
  endpoint: string;
  kind: string;
  status: number;
  input: string;
}

export interface EndpointResult {
  endpoint: string;
  cases: number;
  statuses: Map<string, number>;
  failures: Failure[];
  /** Failures by kind, counted in full (only a few examples of each are kept). */
  failureCounts: Map<string, number>;
}

export function optionsFromEnv(defaults: Partial<FuzzOptions> = {}): FuzzOptions {
  const n = (name: string, fallback: number): number => (process.env[name] ? Number(process.env[name]) : fallback);
  return {
    runs: n("FUZZ_RUNS", defaults.runs ?? 5),
    seed: n("FUZZ_SEED", defaults.seed ?? 11),
    huge: n("FUZZ_HUGE", defaults.huge ?? 70_000),
    timeoutMs: n("FUZZ_TIMEOUT_MS", defaults.timeoutMs ?? 10_000),
    snapshotEvery: n("FUZZ_SNAPSHOT_EVERY", defaults.snapshotEvery ?? 1),
  };
}

/** A short, printable description of a request, for the report. */
export function describe(c: Case): string {
  const show = (s: string): string => JSON.stringify(s.length > 160 ? `${s.slice(0, 120)}…(${s.length} chars)` : s);
  const headers = c.headers.map(([k, v]) => `${show(k)}: ${show(v)}`).join(", ");
  const body = c.body ? ` body=${show(c.body.toString("latin1"))}` : "";
  return `${c.label ? `[${c.label}] ` : ""}${c.method} ${show(c.target)} {${headers}}${body}`;
}

function judge(spec: EndpointSpec, c: Case, res: RawResponse): string | null {
  if (res.timedOut) return "hang (no answer before the timeout)";
  if (res.status === 0) return "connection closed without an answer";
  if (res.status >= 500) return `${res.status}`;
  if (res.status < 400 && !spec.accepts.includes(res.status)) return `unexpected ${res.status}`;
  // Authgear's contract: no x-authgear-* headers without a credential, session-valid=false for a bad one.
  if (spec.resolver && !c.realCredential && res.headers["x-authgear-session-valid"] === "true") return "resolver answered valid without a credential";
  return null;
}

function allowedWrites(spec: EndpointSpec, c: Case, status: number): string[] {
  const accepted = status > 0 && status < 400;
  return [...((accepted ? spec.mayWrite?.accepted : spec.mayWrite?.refused) ?? [])];
}

export async function fuzzEndpoint(target: FuzzTarget, spec: EndpointSpec, o: FuzzOptions): Promise<EndpointResult> {
  const result: EndpointResult = { endpoint: spec.name, cases: 0, statuses: new Map(), failures: [], failureCounts: new Map() };
  const fail = (kind: string, status: number, c: Case): void => {
    const n = result.failureCounts.get(kind) ?? 0;
    result.failureCounts.set(kind, n + 1);
    if (n < 3) result.failures.push({ endpoint: spec.name, kind, status, input: describe(c) });
  };
  let before = await target.snapshot();
  let pending: { c: Case; allowed: string[]; status: number }[] = [];
  const checkStorage = async (): Promise<void> => {
    const after = await target.snapshot();
    const changed = changedTables(before, after);
    before = after;
    const allowed = new Set(pending.flatMap((p) => p.allowed));
    const bad = changed.filter((t) => !allowed.has(t));
    if (bad.length) fail(`stored rows changed in ${bad.join(", ")}`, pending[0].status, pending[0].c);
    pending = [];
  };
  const runOne = async (c: Case): Promise<void> => {
    const res = await sendRaw(target.port, c, o.timeoutMs);
    result.cases++;
    const key = res.timedOut ? "hang" : res.status === 0 ? "closed" : String(res.status);
    result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1);
    const problem = judge(spec, c, res);
    if (problem) fail(problem, res.status, c);
    pending.push({ c, allowed: allowedWrites(spec, c, res.status), status: res.status });
    if (pending.length >= o.snapshotEvery) await checkStorage();
  };
  for (const c of fixedCases(spec, target.seeds)) await runOne(c);
  const arb = caseArbitrary(spec, target.seeds, target.issuer, { huge: o.huge });
  // The property never fails: every answer is judged and counted, so one run reports them all.
  // Each endpoint gets its own stream of cases (the seed mixed with its name), reproducible by FUZZ_SEED.
  const seed = [...spec.name].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) | 0, o.seed);
  await fc.assert(fc.asyncProperty(arb, async (c) => { await runOne(c); }), { numRuns: o.runs, seed, endOnFailure: true });
  if (pending.length) await checkStorage();
  return result;
}

/** The counts per endpoint and status as a plain-text table. */
export function table(results: EndpointResult[], title: string): string {
  const columns = [...new Set(results.flatMap((r) => [...r.statuses.keys()]))].sort();
  const width = Math.max(...results.map((r) => r.endpoint.length), 8);
  const head = `${"endpoint".padEnd(width)}  ${"cases".padStart(6)}  ${columns.map((c) => c.padStart(6)).join(" ")}  failures`;
  const lines = results.map((r) => {
    const failures = [...r.failureCounts].map(([k, n]) => `${n}× ${k}`).join("; ") || "-";
    return `${r.endpoint.padEnd(width)}  ${String(r.cases).padStart(6)}  ${columns.map((c) => String(r.statuses.get(c) ?? "").padStart(6)).join(" ")}  ${failures}`;
  });
  const total = results.reduce((n, r) => n + r.cases, 0);
  return [`== ${title}: ${total} cases ==`, head, ...lines].join("\n");
}
