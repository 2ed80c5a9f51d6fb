// The attack suite in `npm test`: every endpoint gets the fixed corpus of known hostile inputs
// plus a few random ones (FUZZ_RUNS, default 3) on SQLite. `npm run fuzz` runs ≥ 10,000 per
// endpoint on SQLite and PostgreSQL (scripts/fuzz.mjs).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { ENDPOINTS } from "./endpoints.ts";
import { fuzzEndpoint, optionsFromEnv, table, type EndpointResult } from "./run.ts";
import { startFuzzTarget, type FuzzTarget } from "./target.ts";

describe("hostile input on every endpoint (SQLite)", () => {
  let target: FuzzTarget;
  const results: EndpointResult[] = [];
  const options = optionsFromEnv({ runs: 3, timeoutMs: 5000 });
  before(async () => { target = await startFuzzTarget("sqlite"); });
  after(async () => {
    if (process.env.FUZZ_VERBOSE) console.log(table(results, `sqlite, seed ${options.seed}`));
    await target.close();
  });

  for (const spec of ENDPOINTS) {
    it(`${spec.name}: 4xx or a legitimate answer, never 5xx, silence or a hang, no stray writes`, async () => {
      const r = await fuzzEndpoint(target, spec, options);
      results.push(r);
      assert.deepEqual(r.failures.map((f) => `${f.kind} ← ${f.input}`), []);
    });
  }
});
