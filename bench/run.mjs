// `npm run bench`: Gatehouse's hot endpoints against their references, on a machine whose speed
// drifts. The server (and every reference) runs pinned to core 0, the load generator (wrk) to core 1.
// Each target is measured in interleaved rounds — reference, subject, reference, subject, … — and
// every subject run is compared with the mean of the two reference runs around it; the verdict is
// the median of those per-round ratios. Prints a table and writes bench/results/latest.{json,md}.
// Env: BENCH_ROUNDS (10), BENCH_DURATION (s per run, 2), BENCH_WARMUP (s, 2), BENCH_CONNECTIONS (32),
//      BENCH_FLOW_DURATION (s for the code flow, 10), BENCH_TARGETS (comma list of subjects, default all),
//      BENCH_PROFILE=<scenario>: only --cpu-prof one Gatehouse scenario into results/profiles/<scenario>/,
//      BENCH_REDIS_URL: Gatehouse with redis.url set (rate limits in Redis).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startGatehouse } from "./gatehouse.mjs";
import { signIn } from "./sign-in.mjs";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const env = process.env;
const rounds = Number(env.BENCH_ROUNDS ?? 10);
const duration = Number(env.BENCH_DURATION ?? 2);
const warmup = Number(env.BENCH_WARMUP ?? 2);
const connections = Number(env.BENCH_CONNECTIONS ?? 32);
const flowDuration = Number(env.BENCH_FLOW_DURATION ?? 10);
const onlyTargets = env.BENCH_TARGETS?.split(",");
const SERVER_CORE = "0";
const LOAD_CORE = "1";

try {
  execFileSync("wrk", ["--version"], { stdio: "ignore" });
} catch (err) {
  // wrk exits 1 after printing its version; only a missing binary is a problem.
  if (err.code === "ENOENT") {
    console.error("bench needs wrk (a C load generator that can saturate one core): apt-get install wrk");
    process.exit(1);
  }
}

/** The server code measured: commit, plus a note if packages/ has uncommitted changes. */
function codeVersion() {
  const git = (...args) => execFileSync("git", args, { cwd: here(".."), encoding: "utf8" }).trim();
  try {
    const dirty = git("status", "--porcelain", "--", "packages").split("\n").filter(Boolean).length;
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? ` + ${dirty} uncommitted change(s) in packages/` : ""}`;
  } catch {
    return "unknown";
  }
}

/** Runs a command pinned to a core; resolves with its last stdout line, parsed as JSON. */
function runPinned(core, command, args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", ["-c", core, command, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...env, ...extraEnv } });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop())) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

/** Starts a server pinned to the server core; resolves once it prints its JSON line. */
function startServer(args) {
  const child = spawn("taskset", ["-c", SERVER_CORE, process.execPath, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server ${args.join(" ")} exited with ${code}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      // taskset execs node, so the child's pid is the server's.
      resolve({ info: JSON.parse(line), pid: child.pid, stop: () => { child.kill("SIGTERM"); return exited; } });
    });
  });
}

// CPU accounting from /proc (USER_HZ = 100 → 10 ms ticks): a process's own time, and core 0's
// busy and steal time. "Other" is core-0 time used by anything but the process measured (another
// process, or the hypervisor taking the core away: steal), which is what spoils a run.
const TICK_MS = 10;
const processCpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return { user: Number(fields[11]) * TICK_MS, sys: Number(fields[12]) * TICK_MS }; // utime, stime
};
const coreTimes = () => {
  const line = readFileSync("/proc/stat", "utf8").split("\n").find((l) => l.startsWith(`cpu${SERVER_CORE} `));
  const [, user, nice, system, , , , , steal] = line.split(/\s+/).map(Number);
  return { busy: (user + nice + system) * TICK_MS, steal: steal * TICK_MS };
};

/** Measures one run of `fn` (which loads the server core for about `seconds`), with CPU shares. */
async function measured(pid, fn) {
  const t0 = performance.now(), own0 = pid ? processCpuMs(pid) : null, core0 = coreTimes();
  const r = await fn();
  const wallMs = performance.now() - t0, core = coreTimes();
  const own1 = pid ? processCpuMs(pid) : null;
  const own = pid ? (own1.user - own0.user + own1.sys - own0.sys) / wallMs : r.cpuShare;
  // The kernel's part of the process's time: system calls (socket reads and writes, mostly).
  const kernel = pid ? (own1.sys - own0.sys) / wallMs : undefined;
  const busy = (core.busy - core0.busy) / wallMs;
  return { ...r, cpu: { server: own, kernel, other: Math.max(0, busy - own), steal: (core.steal - core0.steal) / wallMs } };
}

/** One wrk run against `spec` ({ url, method, headers, body }). */
async function wrk(spec, seconds) {
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", "-s", here("wrk.lua")];
  for (const [name, value] of Object.entries(spec.headers ?? {})) args.push("-H", `${name}: ${value}`);
  args.push(spec.url);
  const r = await runPinned(LOAD_CORE, "wrk", args, { BENCH_METHOD: spec.method ?? "GET", BENCH_BODY: spec.body ?? "" });
  const secs = r.durationUs / 1e6;
  return { reqPerSec: r.requests / secs, requests: r.requests, non2xx: r.non2xx, errors: r.errors, p50: r.p50Us / 1000, p99: r.p99Us / 1000, mean: r.meanUs / 1000 };
}

async function check(label, res, ok) {
  const text = await res.text();
  if (res.status !== 200 || !ok(text ? JSON.parse(text) : {}, res)) throw new Error(`${label} check failed: ${res.status} ${text.slice(0, 200)}`);
}

// Each Gatehouse scenario: the request, and a check that it really succeeds.
const scenarios = {
  refresh: (s, t) => ({
    spec: { url: `${s.url}/oauth2/token`, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refreshToken, client_id: s.clientId }).toString() },
    ok: (b) => b.access_token && b.id_token,
  }),
  jwks: (s) => ({ spec: { url: `${s.url}/oauth2/jwks` }, ok: (b) => b.keys?.length > 0 }),
  userinfo: (s, t) => ({ spec: { url: `${s.url}/oauth2/userinfo`, headers: { authorization: `Bearer ${t.accessToken}` } }, ok: (b) => b.sub && b.email === s.email }),
  // The resolver answers 200 with no body; the check is its header.
  "resolver-bearer": (s, t) => ({ spec: { url: `${s.url}/_resolver/resolve`, headers: { authorization: `Bearer ${t.accessToken}` } }, ok: (_b, res) => res.headers.get("x-authgear-session-valid") === "true" }),
  "resolver-cookie": (s, t) => ({ spec: { url: `${s.url}/_resolver/resolve`, headers: { cookie: t.sessionCookie } }, ok: (_b, res) => res.headers.get("x-authgear-session-valid") === "true" }),
};

const targets = [
  { subject: "refresh", reference: "sign", min: 0.8, why: "sign rate ÷ 2 (two RS256 signs per refresh)", scale: 0.5 },
  // Not a target: how close a server doing nothing but the two signatures gets on this machine.
  { subject: "refresh-floor", reference: "sign", min: null, why: "sign rate ÷ 2", scale: 0.5 },
  // Also not a target: refresh against that floor, from the same chain (floor runs on either side).
  { subject: "refresh", reference: "refresh-floor", min: null, why: "refresh-floor req/s", derived: true },
  { subject: "userinfo", reference: "hello", min: 0.4, why: "hello req/s" },
  { subject: "jwks", reference: "hello", min: 0.8, why: "hello req/s" },
  { subject: "resolver-bearer", reference: "hello", min: 0.5, why: "hello req/s", p99Limit: 10 },
  { subject: "resolver-cookie", reference: "hello", min: 0.5, why: "hello req/s", p99Limit: 10 },
].filter((t) => !onlyTargets || (onlyTargets.includes(t.subject) && (!t.derived || onlyTargets.includes(t.reference))));

async function prepareGatehouse(profileDir) {
  const server = await startGatehouse({ core: SERVER_CORE, profileDir });
  const tokens = await signIn(server.info);
  const requests = {};
  for (const [name, make] of Object.entries(scenarios)) {
    const { spec, ok } = make(server.info, tokens);
    await check(name, await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body }), ok);
    requests[name] = spec;
  }
  return { server, tokens, requests };
}

// BENCH_PROFILE=<scenario>: one profiled server, one scenario, then stop.
if (env.BENCH_PROFILE) {
  const name = env.BENCH_PROFILE;
  if (!scenarios[name]) throw new Error(`BENCH_PROFILE: no scenario ${name} (${Object.keys(scenarios).join(", ")})`);
  const dir = here(`results/profiles/${name}`);
  rmSync(dir, { recursive: true, force: true });
  const { server, requests } = await prepareGatehouse(dir);
  await wrk(requests[name], warmup);
  const r = await measured(server.pid, () => wrk(requests[name], duration * rounds));
  await server.stop();
  console.log(`${name}: ${Math.round(r.reqPerSec)} req/s, server CPU ${(r.cpu.server * 100).toFixed(0)}% (kernel ${(r.cpu.kernel * 100).toFixed(0)}%). Profile in ${dir}; summarise with:\n  node bench/profile-summary.mjs ${dir} 30 ${Math.ceil(warmup + 2)}`);
  process.exit(0);
}

const codeAtStart = codeVersion();
const hello = await startServer([here("hello-server.mjs")]);
const floor = await startServer([here("refresh-floor-server.mjs")]);
const { server, tokens, requests } = await prepareGatehouse();
const floorRequest = { ...requests.refresh, url: `${floor.info.url}/oauth2/token` };
const runners = {
  hello: () => measured(hello.pid, () => wrk({ url: `${hello.info.url}/` }, duration)),
  "refresh-floor": () => measured(floor.pid, () => wrk(floorRequest, duration)),
  sign: () => measured(null, () => runPinned(SERVER_CORE, process.execPath, [here("sign-rate.mjs"), String(duration)]).then((r) => ({ ...r, reqPerSec: r.perSec }))),
  ...Object.fromEntries(Object.keys(scenarios).map((name) => [name, () => measured(server.pid, () => wrk(requests[name], duration))])),
};

const runs = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
let jose;
try {
  process.stderr.write(`warm-up: ${warmup}s per scenario…\n`);
  await wrk({ url: `${hello.info.url}/` }, warmup);
  await wrk(floorRequest, warmup);
  for (const name of Object.keys(scenarios)) await wrk(requests[name], warmup);
  jose = await runPinned(SERVER_CORE, process.execPath, [here("sign-rate.mjs"), String(duration), "--jose"]);

  // One chain per reference: ref, s1, ref, s2, ref, …, repeated for every round, so each subject
  // run has a reference run right before and right after it.
  for (const reference of ["sign", "hello"]) {
    const subjects = targets.filter((t) => t.reference === reference && !t.derived).map((t) => t.subject);
    if (!subjects.length) continue;
    process.stderr.write(`${reference} chain: ${rounds} rounds of ${[reference, ...subjects].join(", ")} at ${duration}s each…\n`);
    runs[reference].push({ ...(await runners[reference]()), seq: 0 });
    let seq = 0;
    for (let round = 0; round < rounds; round++) {
      for (const subject of subjects) {
        runs[subject].push({ ...(await runners[subject]()), seq: ++seq, reference });
        runs[reference].push({ ...(await runners[reference]()), seq: ++seq });
      }
    }
  }
  process.stderr.write(`code flow: ${flowDuration}s…\n`);
  runs["code-flow"] = [await measured(server.pid, () => runPinned(LOAD_CORE, process.execPath, [here("code-flow-load.mjs"), JSON.stringify({ server: server.info, sessionCookie: tokens.sessionCookie, scope: "openid offline_access email", connections, duration: flowDuration })]))];
} finally {
  await server.stop();
  await hello.stop();
  await floor.stop();
}

// Per-round ratios: a subject run against the mean of the reference runs on either side of it.
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const results = targets.map((t) => {
  const refRuns = runs[t.reference];
  const pairs = runs[t.subject].map((r) => {
    const around = [refRuns.filter((x) => x.seq < r.seq).at(-1), refRuns.find((x) => x.seq > r.seq)].filter(Boolean);
    const refRate = mean(around.map((x) => x.reqPerSec)) * (t.scale ?? 1);
    const refPerCpu = mean(around.map((x) => x.reqPerSec / x.cpu.server)) * (t.scale ?? 1);
    return { ratio: r.reqPerSec / refRate, cpuRatio: r.reqPerSec / r.cpu.server / refPerCpu, refRate };
  });
  const ratio = median(pairs.map((p) => p.ratio));
  const failures = runs[t.subject].reduce((n, r) => n + r.non2xx + r.errors, 0);
  // One run's p99 can be a hiccup of the VM (hello's own worst p99 shows those), so the verdict uses
  // the median run's p99; the worst is reported beside it.
  const p99 = median(runs[t.subject].map((r) => r.p99));
  const worstP99 = Math.max(...runs[t.subject].map((r) => r.p99));
  const pass = t.min === null ? null : ratio >= t.min && failures === 0 && (t.p99Limit === undefined || p99 < t.p99Limit);
  return { ...t, ratio, low: Math.min(...pairs.map((p) => p.ratio)), high: Math.max(...pairs.map((p) => p.ratio)), cpuRatio: median(pairs.map((p) => p.cpuRatio)), reqPerSec: median(runs[t.subject].map((r) => r.reqPerSec)), refRate: median(pairs.map((p) => p.refRate)), p99, worstP99, failures, pass };
});

const codeAtEnd = codeVersion();
const code = codeAtStart === codeAtEnd ? codeAtStart : `${codeAtStart} at the start, ${codeAtEnd} at the end (the code changed during the run: repeat it)`;
const fmt = (n, digits = 0) => (n == null || Number.isNaN(n) ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const pct = (x) => `${(x * 100).toFixed(0)}%`;
const machine = { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, platform: `${process.platform} ${process.arch}` };
const date = new Date().toISOString();
const summary = (name) => {
  const rs = runs[name];
  if (!rs?.length) return undefined;
  const rates = rs.map((r) => r.reqPerSec);
  return { runs: rs.length, median: median(rates), low: Math.min(...rates), high: Math.max(...rates), p50: median(rs.map((r) => r.p50 ?? NaN)), p99: median(rs.map((r) => r.p99 ?? NaN)), worstP99: Math.max(...rs.map((r) => r.p99 ?? NaN)), failures: rs.reduce((n, r) => n + (r.non2xx ?? 0) + (r.errors ?? 0), 0), server: median(rs.map((r) => r.cpu.server)), kernel: median(rs.map((r) => r.cpu.kernel ?? NaN)), other: median(rs.map((r) => r.cpu.other)), steal: median(rs.map((r) => r.cpu.steal)) };
};
const rows = ["sign", "refresh", "refresh-floor", "hello", "jwks", "userinfo", "resolver-bearer", "resolver-cookie", "code-flow"].map((n) => [n, summary(n)]).filter(([, s]) => s);
const md = [
  `# Gatehouse benchmark — ${date}`,
  "",
  `Code: ${code}.`,
  "",
  `Machine: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}. Server and references on core ${SERVER_CORE}, load generator (wrk, 1 thread) on core ${LOAD_CORE}; ${connections} connections; ${rounds} interleaved rounds of ${duration} s runs after ${warmup} s warm-up per scenario; code flow ${flowDuration} s.`,
  "",
  `RS256 sign rate on core ${SERVER_CORE}: node:crypto ${fmt(summary("sign")?.median)}/s (median of ${summary("sign")?.runs} runs); in one ${duration} s run before the chains, node:crypto ${fmt(jose?.perSec)}/s and jose SignJWT ${fmt(jose?.jose)}/s.`,
  "",
  "| Scenario | runs | req/s (median) | low – high | p50 ms | p99 ms (median run) | p99 ms (worst run) | failures | server CPU | of it in kernel | other on core 0 | steal |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...rows.map(([name, s]) => `| ${name}${name === "code-flow" ? " (flows/s)" : name === "sign" ? " (signs/s)" : ""} | ${s.runs} | ${fmt(s.median)} | ${fmt(s.low)} – ${fmt(s.high)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.worstP99, 2)} | ${s.failures} | ${pct(s.server)} | ${Number.isNaN(s.kernel) ? "–" : pct(s.kernel)} | ${pct(s.other)} | ${pct(s.steal)} |`),
  "",
  "Latencies come from wrk (µs resolution); code-flow's are per whole flow (authorize + token) from `code-flow-load.mjs`.",
  `"Other on core 0" is core-0 CPU used by anything but the measured process; "steal" is time the hypervisor gave core 0 to someone else. Both should be near 0%. "Of it in kernel" is the server's system time (socket reads and writes, mostly).`,
  ...(runs["code-flow"]?.[0]?.firstError ? [`\ncode-flow: first failure: ${runs["code-flow"][0].firstError}`] : []),
  "",
  "| Target | req/s (median) | reference (median) | ratio (median of rounds) | low – high | required | result | ratio per server CPU-s |",
  "|---|---:|---|---:|---:|---:|---|---:|",
  ...results.map((t) => `| ${t.subject}${t.derived ? ` vs ${t.reference}` : ""}${t.p99Limit ? ` (p99 ${fmt(t.p99, 1)} ms; worst run ${fmt(t.worstP99, 1)})` : ""} | ${fmt(t.reqPerSec)} | ${t.why} = ${fmt(t.refRate)} | ${pct(t.ratio)} | ${pct(t.low)} – ${pct(t.high)} | ${t.min === null ? "–" : `≥ ${pct(t.min)}`}${t.p99Limit ? `, p99 < ${t.p99Limit} ms` : ""} | ${t.pass === null ? "(for comparison)" : t.pass ? "PASS" : "FAIL"} | ${pct(t.cpuRatio)} |`),
  "",
].join("\n");

mkdirSync(here("results"), { recursive: true });
writeFileSync(here("results/latest.json"), `${JSON.stringify({ date, code, machine, settings: { rounds, duration, warmup, connections, flowDuration }, jose, runs, results }, null, 2)}\n`);
writeFileSync(here("results/latest.md"), md);
console.log(`\n${md}`);
