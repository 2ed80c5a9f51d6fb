// How long one-shot `gatehouse` commands take, from the JavaScript build (dist/, made on install)
// and from the TypeScript sources through tsx: 5 runs each, median wall-clock time, and the median
// CPU time (user + system, from /usr/bin/time) which a busy machine disturbs less.
//   node bench/cli-startup.mjs [--runs N]
// Builds dist/ first if it is missing or stale. Uses a temporary SQLite database.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runnable } from "../bin/build-state.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const BIN = join(ROOT, "bin/gatehouse.mjs");
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);

if (!runnable()) spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs")], { stdio: "inherit" });
const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-cli-"));
writeFileSync(join(dir, "c.yaml"), `database:\n  url: "sqlite:${join(dir, "db.sqlite")}"\n`);
let n = 0;
const cases = [
  ["--help", () => ["--help"]],
  ["outbox --help", () => ["outbox", "--help"]],
  ["migrate", () => ["migrate", "--config", "c.yaml"]],
  ["users create", () => ["users", "create", "--config", "c.yaml", "--email", `u${n++}@example.com`, "--password", "a-long-password-1"]],
  ["admin-keys create", () => ["admin-keys", "create", "--config", "c.yaml"]],
  ["outbox", () => ["outbox", "--config", "c.yaml"]],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
/** [wall ms, cpu ms] of one run. */
function time(args, env) {
  const started = process.hrtime.bigint();
  const command = TIME ? [TIME, ["-f", "cpu %U %S", process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  const r = spawnSync(command[0], command[1], { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`gatehouse ${args.join(" ")} failed: ${r.stderr}`);
  const cpu = /cpu (\S+) (\S+)\s*$/.exec(r.stderr);
  return [ms, cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN];
}
const medians = (samples) => [median(samples.map((s) => s[0])), median(samples.map((s) => s[1]))];
const show = ([wall, cpu]) => `${wall.toFixed(0).padStart(8)} ${cpu.toFixed(0).padStart(8)}`;

try {
  time(["migrate", "--config", "c.yaml"], {}); // create the database outside the measurement
  const baseline = median(Array.from({ length: runs }, () => {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"]);
    return Number(process.hrtime.bigint() - started) / 1e6;
  }));
  console.log(`median of ${runs} runs, ms (node -e 0 alone: ${baseline.toFixed(0)} ms; load average ${(await import("node:os")).loadavg()[0].toFixed(1)})`);
  console.log(`${"".padEnd(20)} ${"build".padStart(17)} ${"tsx".padStart(17)}`);
  console.log(`${"command".padEnd(20)} ${"wall".padStart(8)} ${"cpu".padStart(8)} ${"wall".padStart(8)} ${"cpu".padStart(8)}`);
  for (const [name, args] of cases) {
    const build = medians(Array.from({ length: runs }, () => time(args(), {})));
    const tsx = medians(Array.from({ length: runs }, () => time(args(), { GATEHOUSE_FROM_SOURCE: "1" })));
    console.log(`${name.padEnd(20)} ${show(build)} ${show(tsx)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
