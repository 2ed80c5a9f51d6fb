// Fault check, not a test: kill -9 the server under refresh load with rotation on, restart it, and
// count the grants lost. A client whose refresh was committed but whose response died with the
// process retries with the token it still holds; with the rotation grace period that retry must
// get the new token, so no grant may be lost.
//
//   node bench/kill-refresh.mjs                      # SQLite
//   KILL_DB=postgres node bench/kill-refresh.mjs     # PostgreSQL (127.0.0.1:5432/test, fresh schema)
//   KILL_GRANTS=20 KILL_ROUNDS=5 KILL_GRACE=10 ...   # grants, kills, grace period (seconds)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { authorizeUrl, pkce, signIn } from "./sign-in.mjs";

const BIN = fileURLToPath(new URL("../bin/gatehouse.mjs", import.meta.url));
const GRANTS = Number(process.env.KILL_GRANTS ?? 20);
const ROUNDS = Number(process.env.KILL_ROUNDS ?? 5);
const GRACE = Number(process.env.KILL_GRACE ?? 10);
const PG_URL = process.env.KILL_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const postgres = process.env.KILL_DB === "postgres";

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const url = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), "gatehouse-kill-"));
const schema = `gh_kill_${randomBytes(4).toString("hex")}`;
const client = {
  client_id: "kill-spa", name: "Kill SPA", x_application_type: "spa", redirect_uris: ["http://127.0.0.1:9/callback"],
  refresh_token_rotation_enabled: true, refresh_token_rotation_grace_period_seconds: GRACE,
};
const config = join(dir, "gatehouse.yaml");
writeFileSync(config, JSON.stringify({
  http: { public_origin: url, listen: `127.0.0.1:${port}` },
  database: { url: postgres ? `${PG_URL}?schema=${schema}` : `sqlite:${join(dir, "gatehouse.db")}` },
  oauth: { clients: [client], rate_limits: { token_per_ip: { burst: 1_000_000_000, period: "1m" } } },
}));
const server = { url, clientId: client.client_id, redirectUri: client.redirect_uris[0], email: "kill@example.com", password: "correct horse battery staple" };
execFileSync(process.execPath, [BIN, "users", "create", "--config", config, "--email", server.email, "--password", server.password, "--verified"], { stdio: "ignore" });

let child;
async function start() {
  child = spawn(process.execPath, [BIN, "start", "--config", config], { stdio: ["ignore", "ignore", "inherit"] });
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return Date.now() - t0;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const post = (body) => fetch(`${url}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(body) });

await start();
// One sign-in, then one grant per simulated app through the code flow with the session cookie.
const first = await signIn(server);
const tokens = [first.refreshToken];
while (tokens.length < GRANTS) {
  const { verifier, challenge } = pkce();
  const res = await fetch(authorizeUrl(server, challenge), { redirect: "manual", headers: { cookie: first.sessionCookie } });
  const code = new URL(res.headers.get("location")).searchParams.get("code");
  const t = await (await post({ grant_type: "authorization_code", code, redirect_uri: server.redirectUri, client_id: server.clientId, code_verifier: verifier })).json();
  tokens.push(t.refresh_token);
}

// Each app refreshes in a loop with the token it holds; a failed request (server gone) is retried
// with the same token until the server answers. invalid_grant means the grant is lost.
let running = true;
const lost = new Set();
const reasons = [];
let refreshes = 0;
let retriedAfterKill = 0;
async function app(i) {
  let failedBefore = false;
  let failedSince = 0;
  while (running && !lost.has(i)) {
    try {
      const res = await post({ grant_type: "refresh_token", client_id: server.clientId, refresh_token: tokens[i] });
      const body = await res.json();
      if (res.status === 200) {
        tokens[i] = body.refresh_token;
        refreshes++;
        if (failedBefore) retriedAfterKill++;
        failedBefore = false;
      } else if (body.error === "invalid_grant") {
        lost.add(i);
        reasons.push(`${body.error_description}${failedBefore ? ` (on a retry ${Date.now() - failedSince} ms after the first failure)` : ""}`);
      }
      else throw new Error(`${res.status} ${JSON.stringify(body)}`);
    } catch (err) {
      if (err instanceof Error && /^\d{3} /.test(err.message)) throw err;
      if (!failedBefore) failedSince = Date.now();
      failedBefore = true;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
const apps = tokens.map((_, i) => app(i));
const restarts = [];
for (let round = 0; round < ROUNDS; round++) {
  await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  restarts.push(await start());
}
await new Promise((r) => setTimeout(r, 1500));
running = false;
await Promise.all(apps);
// A last refresh for every app: is its grant still alive?
for (let i = 0; i < tokens.length; i++) {
  if (lost.has(i)) continue;
  const res = await post({ grant_type: "refresh_token", client_id: server.clientId, refresh_token: tokens[i] });
  if (res.status !== 200) {
    lost.add(i);
    reasons.push(`final check: ${res.status} ${(await res.json()).error_description}`);
  }
}
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
rmSync(dir, { recursive: true, force: true });
if (postgres) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}
console.log(JSON.stringify({
  database: postgres ? "postgres" : "sqlite", grants: GRANTS, kills: ROUNDS, grace_seconds: GRACE, refreshes,
  requests_retried_across_a_kill: retriedAfterKill, restart_ms: restarts, grants_lost: lost.size, why: reasons,
}));
process.exitCode = lost.size === 0 ? 0 : 1;
