// `npm run fuzz` (scripts/fuzz.mjs): FUZZ_RUNS cases per endpoint (default 10,000) on each backend
// in FUZZ_BACKENDS, then a table of counts per endpoint and status and the failing inputs found.
// FUZZ_ENDPOINTS=a,b keeps the endpoints whose name contains one of the substrings.
import { writeFileSync } from "node:fs";
import { ENDPOINTS } from "./endpoints.ts";
import { fuzzEndpoint, optionsFromEnv, table, type EndpointResult } from "./run.ts";
import { startFuzzTarget, type Backend } from "./target.ts";

const options = optionsFromEnv({ runs: 10_000, huge: 1_000_000, snapshotEvery: 50, concurrency: 8 });
const backends = (process.env.FUZZ_BACKENDS ?? "sqlite,postgres").split(",").filter(Boolean) as Backend[];
const filters = (process.env.FUZZ_ENDPOINTS ?? "").split(",").filter(Boolean);
const endpoints = ENDPOINTS.filter((e) => filters.length === 0 || filters.some((f) => e.name.includes(f)));
const report: string[] = [];
let failed = 0;

for (const backend of backends) {
  const target = await startFuzzTarget(backend);
  const results: EndpointResult[] = [];
  const started = Date.now();
  try {
    for (const spec of endpoints) {
      const t0 = Date.now();
      const r = await fuzzEndpoint(target, spec, options);
      results.push(r);
      const bad = [...r.failureCounts.values()].reduce((a, b) => a + b, 0);
      const statuses = [...r.statuses].sort().map(([k, n]) => `${k}:${n}`).join(" ");
      console.error(`${backend} ${spec.name}: ${r.cases} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s [${statuses}] ${bad} failing ${[...r.failureCounts].map(([k, n]) => `${n}× ${k}`).join("; ")}`);
    }
  } finally {
    await target.close();
  }
  const text = table(results, `${backend}, ${options.runs} random cases per endpoint + fixed corpus, seed ${options.seed}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${text}\n`);
  report.push(text);
  for (const r of results) for (const f of r.failures) {
    failed++;
    report.push(`${backend} | ${f.endpoint} | ${f.kind} | ${f.input}`);
  }
}
if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${report.join("\n")}\n`);
if (failed) {
  console.log(`${failed} failing inputs (a few examples per endpoint and kind)${process.env.FUZZ_REPORT ? `; all in ${process.env.FUZZ_REPORT}` : ""}:`);
  for (const line of report.filter((l) => l.includes(" | ")).slice(0, 200)) console.log(line.length > 400 ? `${line.slice(0, 400)}…` : line);
  process.exitCode = 1;
}
