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
  /** Requests in flight at once (each batch of snapshotEvery cases is sent this many at a time). */
  concurrency: number;
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
    concurrency: n("FUZZ_CONCURRENCY", defaults.concurrency ?? 1),
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
  const tables = [...((accepted ? spec.mayWrite?.accepted : spec.mayWrite?.refused) ?? [])];
  // A request carrying the live session cookie may refresh its last-seen time, whatever the answer.
  if (c.realCredential) tables.push("idp_sessions");
  return tables;
}

export async function fuzzEndpoint(target: FuzzTarget, spec: EndpointSpec, o: FuzzOptions): Promise<EndpointResult> {
  const result: EndpointResult = { endpoint: spec.name, cases: 0, statuses: new Map(), failures: [], failureCounts: new Map() };
  const examples = new Map<string, number>();
  let explained = 0;
  const fail = (kind: string, status: number, c: Case, culprit = ""): void => {
    const label = culprit ? `${kind} (${culprit.split(" + ").map((part) => part.split(":")[0]).join(" + ")})` : kind;
    result.failureCounts.set(label, (result.failureCounts.get(label) ?? 0) + 1);
    // A few examples per kind of failure and the part of the request that causes it.
    const seen = examples.get(label) ?? 0;
    if (seen >= 3) return;
    examples.set(label, seen + 1);
    result.failures.push({ endpoint: spec.name, kind: culprit ? `${kind}, caused by ${culprit}` : kind, status, input: describe(c) });
  };
  /** The parts of a failing request it needs: each one whose removal alone makes the failure go away. */
  const culpritOf = async (c: Case, kind: string): Promise<string> => {
    if (explained++ >= 300) return "";
    const still = async (v: Case): Promise<boolean> => {
      const r = await sendRaw(target.port, v, o.timeoutMs);
      return judge(spec, v, r) === kind;
    };
    const short = (v: string): string => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    const needed: string[] = [];
    for (let i = 0; i < c.headers.length; i++) {
      const [name, value] = c.headers[i];
      if (name === "content-type" && c.body) continue;
      if (!(await still({ ...c, headers: c.headers.filter((_, j) => j !== i) }))) needed.push(`header ${name}: ${short(value)}`);
    }
    const q = c.target.indexOf("?");
    if (q >= 0 && !(await still({ ...c, target: c.target.slice(0, q) }))) needed.push(`query: ${short(c.target.slice(q))}`);
    if (c.body && !(await still({ ...c, body: undefined }))) needed.push(`body: ${short(c.body.toString("latin1"))}`);
    return needed.length ? needed.join(" + ") : "the whole request";
  };
  let before = await target.snapshot();
  let pending: { c: Case; allowed: string[]; status: number }[] = [];
  const checkStorage = async (): Promise<void> => {
    const after = await target.snapshot();
    const changed = changedTables(before, after);
    before = after;
    const allowed = new Set(pending.flatMap((p) => p.allowed));
    const bad = changed.filter((t) => !allowed.has(t));
    // In a batch the culprit is one of its cases; with FUZZ_SNAPSHOT_EVERY=1 it is exactly this one.
    if (bad.length) {
      const c = pending.length === 1 ? pending[0].c : { ...pending[0].c, label: `one of a batch of ${pending.length}; the first` };
      fail(`stored rows changed in ${bad.join(", ")}`, pending[0].status, c);
    }
    pending = [];
  };
  const send = async (c: Case): Promise<void> => {
    const res = await sendRaw(target.port, c, o.timeoutMs);
    result.cases++;
    const key = res.timedOut ? "hang" : res.status === 0 ? "closed" : String(res.status);
    result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1);
    const problem = judge(spec, c, res);
    if (problem) fail(problem, res.status, c, res.timedOut ? "" : await culpritOf(c, problem));
    pending.push({ c, allowed: allowedWrites(spec, c, res.status), status: res.status });
  };
  /** A batch goes out `concurrency` at a time; then the stored rows are compared once for the batch. */
  const runBatch = async (cases: Case[]): Promise<void> => {
    for (let i = 0; i < cases.length; i += o.concurrency) await Promise.all(cases.slice(i, i + o.concurrency).map(send));
    await checkStorage();
  };
  const batch = Math.max(1, o.snapshotEvery);
  const fixed = fixedCases(spec, target.seeds);
  for (let i = 0; i < fixed.length; i += batch) await runBatch(fixed.slice(i, i + batch));
  const arb = caseArbitrary(spec, target.seeds, target.issuer, { huge: o.huge });
  // Each endpoint gets its own stream of cases (the seed mixed with its name), reproducible by
  // FUZZ_SEED; cases are drawn a batch at a time so that a long run does not hold them all.
  const seed = [...spec.name].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) | 0, o.seed);
  for (let done = 0, round = 0; done < o.runs; done += batch, round++) {
    await runBatch(fc.sample(arb, { numRuns: Math.min(batch, o.runs - done), seed: seed + round }));
  }
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
