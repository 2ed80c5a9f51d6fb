// Gatehouse as it runs in production: the `gatehouse` CLI (production argon2
// defaults, request logging on, SQLite) with a throwaway config and database, one public SPA client
// and one user created with `gatehouse users create`. Pinned to one core with taskset.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/gatehouse.mjs", import.meta.url));
const CLIENT = { client_id: "bench-spa", name: "Bench SPA", x_application_type: "spa", redirect_uris: ["http://127.0.0.1:9/callback"] };
const EMAIL = "bench@example.com";
const PASSWORD = "correct horse battery staple";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`gatehouse exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("gatehouse did not come up in 30 s");
}

/**
 * Starts Gatehouse on `core`; with `profileDir`, under --cpu-prof. Resolves once /healthz answers.
 * `bin` is another entry point taking the CLI's arguments, for comparing builds.
 */
export async function startGatehouse({ core, profileDir, bin = BIN }) {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, "gatehouse.yaml");
  // JSON is YAML. All load comes from one IP: the per-IP token limit is lifted out of reach (the
  // limiter still runs on every request).
  writeFileSync(config, JSON.stringify({
    http: { public_origin: url, listen: `127.0.0.1:${port}` },
    database: { url: `sqlite:${join(dir, "gatehouse.db")}` },
    oauth: { clients: [CLIENT], rate_limits: { token_per_ip: { burst: 1_000_000_000, period: "1m" } } },
    // BENCH_REDIS_URL: rate limits in Redis, as a multi-node deployment runs (Redis itself is not pinned).
    ...(process.env.BENCH_REDIS_URL ? { redis: { url: process.env.BENCH_REDIS_URL, key_prefix: `gatehouse-bench-${port}:` } } : {}),
  }));
  execFileSync(process.execPath, [bin, "users", "create", "--config", config, "--email", EMAIL, "--password", PASSWORD, "--verified"], { stdio: "ignore" });
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  // taskset execs node, so the child's pid is the server's. Its request log goes to /dev/null.
  const child = spawn("taskset", ["-c", core, process.execPath, ...profile, bin, "start", "--config", config], { stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await waitUntilUp(url, child);
  return {
    info: { url, clientId: CLIENT.client_id, redirectUri: CLIENT.redirect_uris[0], email: EMAIL, password: PASSWORD },
    pid: child.pid,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
