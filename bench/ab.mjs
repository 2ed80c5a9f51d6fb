// A/B of two builds of Gatehouse in one run: the same scenarios as bench/run.mjs, each build's run
// right after the other's (the order flips every round), so the VM's drift (±25 % within minutes)
// falls on both alike. Use it when the question is "did this change make the hot paths slower?"
// rather than "how close to the machine's floor are we?" (that is run.mjs).
//
//   node bench/ab.mjs <A: a checkout's root> [B: a checkout's root, default this one]
//   e.g. git worktree add /tmp/before <commit> && cp -a node_modules /tmp/before/ && node bench/ab.mjs /tmp/before
//
// Env: BENCH_ROUNDS (10), BENCH_DURATION (s per run, 2), BENCH_CONNECTIONS (32), BENCH_TARGETS.
// Prints a Markdown table (B's req/s ÷ A's, median of rounds, low – high) and writes it to
// bench/results/ab-latest.md.
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startGatehouse } from "./gatehouse.mjs";
import { signIn } from "./sign-in.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const [aRoot, bRoot = here("..")] = process.argv.slice(2).map((p) => resolve(p));
if (!aRoot) {
  console.error("usage: node bench/ab.mjs <checkout A> [checkout B]");
  process.exit(2);
}
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const duration = Number(process.env.BENCH_DURATION ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const only = process.env.BENCH_TARGETS?.split(",");

const requests = {
  refresh: (s, t) => ({ url: `${s.url}/oauth2/token`, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refreshToken, client_id: s.clientId }).toString() }),
  jwks: (s) => ({ url: `${s.url}/oauth2/jwks` }),
  userinfo: (s, t) => ({ url: `${s.url}/oauth2/userinfo`, headers: { authorization: `Bearer ${t.accessToken}` } }),
  "resolver-bearer": (s, t) => ({ url: `${s.url}/_resolver/resolve`, headers: { authorization: `Bearer ${t.accessToken}` } }),
  "resolver-cookie": (s, t) => ({ url: `${s.url}/_resolver/resolve`, headers: { cookie: t.sessionCookie } }),
};
const names = Object.keys(requests).filter((n) => !only || only.includes(n));

function wrk(spec, seconds) {
  const args = ["-c", "1", "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s", "-s", here("wrk.lua")];
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push("-H", `${k}: ${v}`);
  args.push(spec.url);
  return new Promise((ok, fail) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, BENCH_METHOD: spec.method ?? "GET", BENCH_BODY: spec.body ?? "" } });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.on("exit", (code) => {
      if (code !== 0) return fail(new Error(`wrk exited with ${code}`));
      const r = JSON.parse(out.trim().split("\n").pop());
      ok({ rate: r.requests / (r.durationUs / 1e6), bad: r.non2xx + r.errors });
    });
  });
}

const commit = (root) => execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
const builds = [{ label: "A", root: aRoot }, { label: "B", root: bRoot }];
for (const b of builds) {
  b.server = await startGatehouse({ core: "0", bin: `${b.root}/bin/gatehouse.mjs` });
  b.tokens = await signIn(b.server.info);
  b.runs = Object.fromEntries(names.map((n) => [n, []]));
}
try {
  for (const n of names) for (const b of builds) await wrk(requests[n](b.server.info, b.tokens), 2); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...builds].reverse() : builds;
    for (const n of names) for (const b of order) b.runs[n].push(await wrk(requests[n](b.server.info, b.tokens), duration));
    process.stderr.write(`round ${round + 1}/${rounds}\n`);
  }
} finally {
  for (const b of builds) await b.server.stop();
}

const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (x) => `${(x * 100).toFixed(0)}%`;
const [A, B] = builds;
const rows = names.map((n) => {
  const ratios = A.runs[n].map((a, i) => B.runs[n][i].rate / a.rate);
  const bad = A.runs[n].concat(B.runs[n]).reduce((k, r) => k + r.bad, 0);
  return `| ${n} | ${Math.round(median(A.runs[n].map((r) => r.rate))).toLocaleString("en-US")} | ${Math.round(median(B.runs[n].map((r) => r.rate))).toLocaleString("en-US")} | ${pct(median(ratios))} | ${pct(Math.min(...ratios))} – ${pct(Math.max(...ratios))} | ${bad} |`;
});
const md = [
  `# Gatehouse A/B — ${new Date().toISOString()}`,
  "",
  `A: ${A.root} (${commit(A.root)}); B: ${B.root} (${commit(B.root)}). ${cpus()[0]?.model}, Node ${process.version}. Both servers on core 0, wrk on core 1, ${connections} connections; ${rounds} rounds of ${duration} s runs, A and B back to back (order flipped each round).`,
  "",
  "| Scenario | A req/s (median) | B req/s (median) | B ÷ A (median of rounds) | low – high | failures |",
  "|---|---:|---:|---:|---:|---:|",
  ...rows,
  "",
].join("\n");
writeFileSync(here("results/ab-latest.md"), md);
console.log(md);
