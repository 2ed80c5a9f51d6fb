// The fault suite (issue 11, `npm run faults`): the real server, started by the CLI, under refresh
// load, while the process is killed -9, PostgreSQL is cut or frozen through a TCP proxy, Redis is
// cut or frozen, and the SQLite disk fills up. Prints per backend: grants lost, the longest
// request, the recovery time. Exits 1 if a grant was lost, a request hung or got a 500, or a
// service did not recover without a restart. Filter scenarios: `npm run faults -- kill postgres`.
// Every loop is bounded in time and count; all traffic goes to 127.0.0.1.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, mkdirSync, rmSync, openSync, writeSync, closeSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freePort } from "../test/support/server.ts";
import { startTcpProxy, type TcpProxy } from "../test/support/tcp-proxy.ts";
import { serverProcess, type ServerProcess } from "./server-process.ts";
import { finalCheck, newClient, newGrant, REDIRECT_URI, runLoad, statusSummary, type Attempt, type LoadClient, type LoadRun } from "./refresh-load.ts";

const execFileAsync = promisify(execFile);
const ROOT = new URL("../../../", import.meta.url).pathname;
const POSTGRES_URL = process.env.GATEHOUSE_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const EMAIL = "faults@example.com";
const PASSWORD = "correct horse battery staple";
const CLIENTS_PER_MODE = 3;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Figures {
  scenario: string;
  backend: string;
  lostRotating: number;
  lostPlain: number;
  longestMs: number;
  recoveryMs: number | null;
  statuses: string;
  problems: string[];
}
const results: Figures[] = [];

function baseConfig(port: number, databaseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const client = (id: string, rotation: boolean) => ({ client_id: id, x_application_type: "spa", redirect_uris: [REDIRECT_URI], refresh_token_rotation_enabled: rotation });
  return {
    http: { public_origin: `http://127.0.0.1:${port}`, listen: `127.0.0.1:${port}` },
    database: { url: databaseUrl },
    log: { requests: "errors" },
    authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } },
    oauth: {
      clients: [client("faults-rotating", true), client("faults-plain", false)],
      // The load comes from one IP; the limit stays on (through Redis where configured) but high.
      rate_limits: { token_per_ip: { burst: 1_000_000 } },
    },
    ...extra,
  };
}

/** Starts the server, creates the user through the CLI, and signs in once per load client. */
async function prepare(dir: string, config: Record<string, unknown>, port: number): Promise<{ server: ServerProcess; clients: LoadClient[] }> {
  const server = serverProcess(dir, config, port);
  await server.start();
  // Asynchronously: the CLI may reach the database through the proxy, which runs in this process.
  await execFileAsync(process.execPath, [join(ROOT, "bin/gatehouse.mjs"), "users", "create", "--config", join(dir, "gatehouse.json"), "--email", EMAIL, "--password", PASSWORD, "--verified"], { timeout: 60_000 });
  const clients: LoadClient[] = [];
  for (const [mode, clientId] of [["rot", "faults-rotating"], ["plain", "faults-plain"]] as const) {
    for (let i = 0; i < CLIENTS_PER_MODE; i++) clients.push(newClient(`${mode}-${i}`, clientId, await newGrant(server.url, clientId, EMAIL, PASSWORD)));
  }
  return { server, clients };
}

/** Waits until every client still holding a grant has had a 200 after `since`; ms from `since`, or null. */
async function recovered(clients: LoadClient[], since: number, withinMs: number): Promise<number | null> {
  const deadline = performance.now() + withinMs;
  while (performance.now() < deadline) {
    const live = clients.filter((c) => !c.lost);
    if (live.every((c) => c.lastOk > since)) return Math.max(...live.map((c) => c.lastOk)) - since;
    await sleep(20);
  }
  return null;
}

function figures(scenario: string, backend: string, clients: LoadClient[], attempts: Attempt[], recoveryMs: number | null, problems: string[]): Figures {
  const lost = (prefix: string): number => clients.filter((c) => c.name.startsWith(prefix) && c.lost).length;
  for (const c of clients) if (c.lost) problems.push(`${c.name} lost its grant (${c.lost})`);
  const fivehundreds = attempts.filter((a) => a.status === 500).length;
  if (fivehundreds) problems.push(`${fivehundreds} answers were 500`);
  const longest = Math.max(0, ...attempts.map((a) => a.ms));
  if (longest > 10_000) problems.push(`a request took ${Math.round(longest)} ms`);
  if (recoveryMs === null) problems.push("did not recover");
  const f = { scenario, backend, lostRotating: lost("rot"), lostPlain: lost("plain"), longestMs: Math.round(longest), recoveryMs: recoveryMs === null ? null : Math.round(recoveryMs), statuses: statusSummary(clients), problems };
  results.push(f);
  console.log(`  ${scenario} [${backend}]: lost rotating ${f.lostRotating}/${CLIENTS_PER_MODE}, plain ${f.lostPlain}/${CLIENTS_PER_MODE}; longest request ${f.longestMs} ms; recovery ${f.recoveryMs ?? "never"} ms; ${f.statuses}${problems.length ? `\n    PROBLEMS: ${problems.join("; ")}` : ""}`);
  return f;
}

async function withPostgresSchema<T>(run: (schema: string) => Promise<T>): Promise<T> {
  const schema = `gh_faults_${randomBytes(5).toString("hex")}`;
  try {
    return await run(schema);
  } finally {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}

// ---- kill -9 under refresh load ------------------------------------------------------------------

async function killScenario(backend: "sqlite" | "postgres", kills = 5): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "gh-faults-kill-"));
  const run = async (databaseUrl: string): Promise<void> => {
    const port = await freePort();
    const { server, clients } = await prepare(dir, baseConfig(port, databaseUrl), port);
    const load = runLoad(() => server.url, clients, { maxMs: 120_000, maxPerClient: 100_000 });
    const problems: string[] = [];
    let worstRecovery = 0;
    const restarts: number[] = [];
    try {
      for (let k = 0; k < kills; k++) {
        await sleep(700 + Math.random() * 800);
        const killedAt = performance.now();
        server.kill9();
        await sleep(100);
        restarts.push(await server.start());
        const r = await recovered(clients, killedAt, 20_000);
        if (r === null) problems.push(`kill ${k + 1}: clients did not recover`);
        else worstRecovery = Math.max(worstRecovery, r);
      }
      await sleep(800);
    } finally {
      await load.stop();
    }
    await finalCheck(server.url, clients);
    if (server.crashes()) problems.push(`the server crashed ${server.crashes()} time(s)`);
    await server.stop();
    console.log(`    restarts (CLI start to /healthz 200): ${restarts.map((ms) => Math.round(ms)).join(", ")} ms; recovery below counts from the kill`);
    figures(`kill -9 x${kills}`, backend, clients, load.attempts, worstRecovery, problems);
  };
  try {
    if (backend === "sqlite") await run(`sqlite:${join(dir, "db.sqlite")}`);
    else await withPostgresSchema((schema) => run(`${POSTGRES_URL}?schema=${schema}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- one fault window, shared by the scenarios below -----------------------------------------------

/**
 * With load running: settle, start the fault, hold it, end it, then wait for every client to refresh
 * again. Returns the attempts made while the fault lasted and the recovery time (null: none in time).
 */
async function faultWindow(clients: LoadClient[], load: LoadRun, fault: { settleMs: number; start(): void; hold(): Promise<void>; end(): void; recoveryLimitMs: number }): Promise<{ during: Attempt[]; recovery: number | null }> {
  try {
    await sleep(fault.settleMs);
    const startedAt = performance.now();
    fault.start();
    await fault.hold();
    const endedAt = performance.now();
    fault.end();
    const recovery = await recovered(clients, endedAt, fault.recoveryLimitMs);
    const during = load.attempts.filter((a) => a.at >= startedAt && a.at < endedAt);
    await sleep(1000);
    return { during, recovery };
  } finally {
    await load.stop();
  }
}

// ---- PostgreSQL cut / frozen through a proxy -----------------------------------------------------

async function postgresFault(kind: "cut" | "freeze", faultMs = 6000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "gh-faults-pg-"));
  const proxy = await startTcpProxy({ port: 5432 });
  try {
    await withPostgresSchema(async (schema) => {
      const port = await freePort();
      const { server, clients } = await prepare(dir, baseConfig(port, `${proxy.url(POSTGRES_URL)}?schema=${schema}`), port);
      const load = runLoad(() => server.url, clients, { maxMs: 120_000, maxPerClient: 100_000 });
      const problems: string[] = [];
      const status = (path: string): Promise<number> => fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);
      const { during, recovery } = await faultWindow(clients, load, {
        settleMs: 1500,
        start: () => proxy[kind](),
        async hold() {
          await sleep(faultMs / 2);
          const [ready, live] = [await status("/readyz"), await status("/healthz")];
          if (ready !== 503) problems.push(`/readyz answered ${ready} during the ${kind}`);
          if (live !== 200) problems.push(`/healthz answered ${live} during the ${kind}`);
          await sleep(faultMs / 2);
        },
        end: () => proxy.restore(),
        recoveryLimitMs: 30_000,
      }).finally(() => proxy.restore());
      const readyAfter = await status("/readyz");
      if (readyAfter !== 200) problems.push(`/readyz answered ${readyAfter} after restore`);
      await finalCheck(server.url, clients);
      const unclean = during.filter((a) => a.status !== 503 && a.status !== 200);
      if (unclean.length) problems.push(`${unclean.length} answers during the fault were neither 200 nor 503: ${[...new Set(unclean.map((a) => `${a.status} ${a.error ?? ""}`))].join(", ")}`);
      const longestDuring = Math.max(0, ...during.map((a) => a.ms));
      console.log(`    during the ${kind} (${faultMs} ms): ${during.length} requests, ${during.filter((a) => a.status === 503).length} answered 503, longest ${Math.round(longestDuring)} ms`);
      if (/storage unavailable/.test(server.log()) === false) problems.push("no 'storage unavailable' line in the log");
      if (server.crashes()) problems.push(`the server crashed ${server.crashes()} time(s)`);
    await server.stop();
      figures(`postgres ${kind} ${faultMs / 1000}s`, "postgres", clients, load.attempts, recovery, problems);
    });
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- Redis cut / frozen ---------------------------------------------------------------------------

async function redisFault(kind: "cut" | "freeze", faultMs = 4000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "gh-faults-redis-"));
  const proxy = await startTcpProxy({ port: 6379 });
  try {
    const port = await freePort();
    const config = baseConfig(port, `sqlite:${join(dir, "db.sqlite")}`, {
      redis: { url: `redis://127.0.0.1:${proxy.port}`, key_prefix: `gh-faults-${randomBytes(4).toString("hex")}:` },
    });
    const { server, clients } = await prepare(dir, config, port);
    const load = runLoad(() => server.url, clients, { maxMs: 60_000, maxPerClient: 100_000 });
    const problems: string[] = [];
    const { during, recovery } = await faultWindow(clients, load, {
      settleMs: 1000, start: () => proxy[kind](), hold: () => sleep(faultMs), end: () => proxy.restore(), recoveryLimitMs: 20_000,
    }).finally(() => proxy.restore());
    await finalCheck(server.url, clients);
    const refused = during.filter((a) => a.status !== 200);
    if (refused.length) problems.push(`${refused.length} refreshes failed while Redis was ${kind === "cut" ? "cut" : "frozen"} (limits should fail open)`);
    if (!/rate limits are not enforced/.test(server.log())) problems.push("no log line about rate limits failing open");
    const longestDuring = Math.max(0, ...during.map((a) => a.ms));
    console.log(`    during the ${kind} (${faultMs} ms): ${during.length} requests, ${during.length - refused.length} answered 200, longest ${Math.round(longestDuring)} ms`);
    if (server.crashes()) problems.push(`the server crashed ${server.crashes()} time(s)`);
    await server.stop();
    figures(`redis ${kind} ${faultMs / 1000}s`, "sqlite+redis", clients, load.attempts, recovery, problems);
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- disk full (SQLite on a small tmpfs) ----------------------------------------------------------

async function diskFull(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "gh-faults-disk-"));
  const mount = join(dir, "tmpfs");
  mkdirSync(mount);
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mount], { stdio: "ignore" }).status === 0;
  if (!mounted) {
    console.log("  disk full [sqlite]: skipped (cannot mount a tmpfs here; needs root)");
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const filler = join(mount, "filler");
  try {
    const port = await freePort();
    const { server, clients } = await prepare(dir, baseConfig(port, `sqlite:${join(mount, "db.sqlite")}`), port);
    const load = runLoad(() => server.url, clients, { maxMs: 60_000, maxPerClient: 100_000 });
    const problems: string[] = [];
    const { during, recovery } = await faultWindow(clients, load, {
      settleMs: 1000,
      start() {
        // Fill what is left, 64 KiB at a time (at most 8 MiB: the tmpfs's size).
        const fd = openSync(filler, "w");
        const chunk = Buffer.alloc(64 * 1024, 1);
        try {
          for (let i = 0; i < 200; i++) writeSync(fd, chunk);
        } catch { /* ENOSPC: full */ }
        try {
          for (let i = 0; i < 64; i++) writeSync(fd, chunk.subarray(0, 512));
        } catch { /* full to the last block */ }
        closeSync(fd);
      },
      hold: () => sleep(3000),
      end: () => unlinkSync(filler),
      recoveryLimitMs: 20_000,
    });
    await finalCheck(server.url, clients);
    const unavailable = during.filter((a) => a.status === 503).length;
    const unclean = during.filter((a) => a.status !== 503 && a.status !== 200);
    if (unclean.length) problems.push(`${unclean.length} answers while the disk was full were neither 200 nor 503`);
    if (unavailable === 0) problems.push("no 503 while the disk was full (did the writes not fail?)");
    const log = server.log();
    if (!/storage unavailable/.test(log) || !/SQLITE_FULL|SQLITE_IOERR/.test(log)) problems.push("the full disk is not in the log");
    console.log(`    while full (3000 ms): ${during.length} requests, ${unavailable} answered 503, ${during.filter((a) => a.status === 200).length} answered 200 (reads and non-rotating refreshes need no write)`);
    if (server.crashes()) problems.push(`the server crashed ${server.crashes()} time(s)`);
    await server.stop();
    figures("disk full 3s", "sqlite", clients, load.attempts, recovery, problems);
  } finally {
    spawnSync("umount", ["-l", mount], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- main -------------------------------------------------------------------------------------------

const scenarios: [string, () => Promise<void>][] = [
  ["kill sqlite", () => killScenario("sqlite")],
  ["kill postgres", () => killScenario("postgres")],
  ["postgres freeze", () => postgresFault("freeze")],
  ["postgres cut", () => postgresFault("cut")],
  // Longer than the default grace window (10 s): the issue's 12 s stall.
  ["postgres long freeze", () => postgresFault("freeze", 12_000)],
  ["redis cut", () => redisFault("cut")],
  ["redis freeze", () => redisFault("freeze")],
  ["disk full sqlite", () => diskFull()],
];
const filters = process.argv.slice(2);
const chosen = scenarios.filter(([name]) => filters.length === 0 || filters.some((f) => name.includes(f)));
const started = performance.now();
for (const [name, run] of chosen) {
  console.log(`\n${name}`);
  try {
    await run();
  } catch (err) {
    console.log(`  FAILED to run: ${(err as Error).stack}`);
    results.push({ scenario: name, backend: "-", lostRotating: -1, lostPlain: -1, longestMs: -1, recoveryMs: null, statuses: "", problems: [`did not run: ${(err as Error).message}`] });
  }
}
console.log(`\nFault suite: ${chosen.length} scenarios in ${Math.round((performance.now() - started) / 1000)} s (${CLIENTS_PER_MODE} clients with rotation on + ${CLIENTS_PER_MODE} with it off per scenario, default config)`);
console.log("| scenario | backend | grants lost (rotation on) | grants lost (rotation off) | longest request ms | recovery ms |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of results) console.log(`| ${r.scenario} | ${r.backend} | ${r.lostRotating} | ${r.lostPlain} | ${r.longestMs} | ${r.recoveryMs ?? "never"} |`);
const failed = results.filter((r) => r.problems.length);
if (failed.length) console.log(`\n${failed.length} scenario(s) with problems:\n${failed.map((r) => `- ${r.scenario} [${r.backend}]: ${r.problems.join("; ")}`).join("\n")}`);
process.exit(failed.length ? 1 : 0);
