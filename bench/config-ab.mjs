// One build, two configs, back to back: what a config setting costs on the hot GET paths (JWKS,
// userinfo). A runs the bench config as it is; B adds the JSON given as the argument (default: request
// logging off). 6 rounds of 2 s per path, the order flipped each round; prints B ÷ A (median).
//   node bench/config-ab.mjs ['{"log":{"requests":"none"}}']
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signIn } from "./sign-in.mjs";

const BIN = fileURLToPath(new URL("../bin/gatehouse.mjs", import.meta.url));
const CLIENT = { client_id: "bench-spa", name: "Bench SPA", x_application_type: "spa", redirect_uris: ["http://127.0.0.1:9/callback"] };
const USER = { email: "bench@example.com", password: "correct horse battery staple" };
const extra = JSON.parse(process.argv[2] ?? '{"log":{"requests":"none"}}');

const freePort = () => new Promise((ok) => { const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); }); });

async function start(more) {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-config-ab-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, "gatehouse.yaml");
  writeFileSync(config, JSON.stringify({ http: { public_origin: url, listen: `127.0.0.1:${port}` }, database: { url: `sqlite:${join(dir, "db.sqlite")}` }, oauth: { clients: [CLIENT] }, ...more }));
  execFileSync(process.execPath, [BIN, "users", "create", "--config", config, "--email", USER.email, "--password", USER.password, "--verified"], { stdio: "ignore" });
  const child = spawn("taskset", ["-c", "0", process.execPath, BIN, "start", "--config", config], { stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const info = { url, clientId: CLIENT.client_id, redirectUri: CLIENT.redirect_uris[0], ...USER };
  return { info, tokens: await signIn(info), stop: () => { child.kill(); rmSync(dir, { recursive: true, force: true }); } };
}

const rate = (url, headers) => Number(execFileSync("taskset", ["-c", "1", "wrk", "-t1", "-c32", "-d2s", ...headers, url], { encoding: "utf8" }).match(/Requests\/sec:\s+([\d.]+)/)[1]);
const paths = {
  jwks: (s) => [`${s.info.url}/oauth2/jwks`, []],
  userinfo: (s) => [`${s.info.url}/oauth2/userinfo`, ["-H", `authorization: Bearer ${s.tokens.accessToken}`]],
};
const a = await start({}), b = await start(extra);
try {
  const ratios = Object.fromEntries(Object.keys(paths).map((n) => [n, []]));
  for (let round = 0; round < 6; round++) {
    for (const [name, target] of Object.entries(paths)) {
      const got = new Map();
      for (const s of round % 2 ? [b, a] : [a, b]) got.set(s, rate(...target(s)));
      ratios[name].push(got.get(b) / got.get(a));
    }
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  for (const [name, rs] of Object.entries(ratios)) console.log(`${name}: B ÷ A ${(median(rs) * 100).toFixed(0)}% (rounds ${rs.map((r) => (r * 100).toFixed(0)).join(", ")}%) with ${JSON.stringify(extra)}`);
} finally {
  a.stop();
  b.stop();
}
