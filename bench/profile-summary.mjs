// Summarises a V8 .cpuprofile (from BENCH_PROFILE=…): where the server's CPU time went, by
// package, and the functions with the most self and inclusive time. Percentages are of busy
// (non-idle) time. Usage: node bench/profile-summary.mjs bench/results/profiles/refresh [top=20]
// [skip=0] (a directory: its largest profile, the main thread's; or a .cpuprofile file). `skip`
// leaves out the first seconds (start-up and sign-in) so only the load is summarised.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [arg, topArg, skipArg] = process.argv.slice(2);
const file = statSync(arg).isDirectory()
  ? readdirSync(arg).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(arg, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0]
  : arg;
const top = Number(topArg ?? 20);
const skipUs = Number(skipArg ?? 0) * 1e6;
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const where = ({ url, lineNumber }) => {
  if (!url) return "";
  const short = url.replace(/^file:\/\/.*?\/(node_modules|packages)\//, "$1/");
  return `${short}:${lineNumber + 1}`;
};
const label = (n) => `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame)}`.trim();
const packageOf = (n) => {
  const url = n.callFrame.url;
  if (!url) return n.callFrame.functionName; // (garbage collector), (program), (idle), native
  if (url.startsWith("node:")) return "node core";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return m ? m[1] : url.includes("/packages/") ? "gatehouse" : url.includes("/bench/") ? "bench" : url;
};

const self = new Map(), inclusive = new Map(), byPackage = new Map();
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
let busy = 0;
let t = profile.startTime;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  const n = nodes.get(id);
  if (t - profile.startTime < skipUs || n.callFrame.functionName === "(idle)") return;
  busy += dt;
  add(self, label(n), dt);
  add(byPackage, packageOf(n), dt);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(nodes.get(cur));
    if (!seen.has(l)) { seen.add(l); add(inclusive, l, dt); }
  }
});

const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((v / busy) * 100).toFixed(1).padStart(6)}%  ${k}`);
};
const wall = profile.endTime - profile.startTime - skipUs;
console.log(`${file}: ${(wall / 1e6).toFixed(1)} s profiled, ${((busy / wall) * 100).toFixed(0)}% busy`);
print("Self time by package", byPackage);
print("Self time by function", self);
print("Inclusive time by function", inclusive);
