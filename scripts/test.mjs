#!/usr/bin/env node
// The one test command: every *.test.ts under packages/*/test and e2e/, run by node's own test
// runner with tsx loading TypeScript. Pass file paths or a substring filter to run fewer.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const roots = ["packages", "e2e"].map((d) => join(root, d));

function walk(dir, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === "node_modules" || name === "dist") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = roots.flatMap((r) => walk(r, [])).map((p) => relative(root, p)).sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3}`, "--test-timeout=120000", ...files], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
