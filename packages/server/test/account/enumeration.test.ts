// No user enumeration through timing: the mean time of N=20 login attempts (and N=20 reset
// requests) for existing emails and for unknown ones must be within 25% of each other. The server
// runs in its own process, as in production, so the work it does after answering (the email)
// does not land in the client's measurement; requests are interleaved, alternating which goes
// first. The same server then shows the local outbox: `gatehouse outbox` and /_dev/outbox.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContext } from "../../src/app.ts";
import { loadConfigFile } from "../../src/config/load.ts";
import { createUser } from "../../src/users/users.ts";
import { freePort } from "../support/server.ts";
import { UserAgent, post, csrfOf, getPage } from "./fixture.ts";

const N = 20;
const BIN = new URL("../../../../bin/gatehouse.mjs", import.meta.url).pathname;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("no enumeration by timing (server in its own process)", () => {
  let dir: string;
  let url: string;
  let child: ChildProcess;
  const configFile = (): string => join(dir, "gatehouse.yaml");

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-enum-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Rate limits are not what is measured here (80 failures come from one IP); no SMTP: the outbox.
    writeFileSync(configFile(), `http: { public_origin: "${url}", listen: "127.0.0.1:${port}" }
database: { url: "sqlite:${join(dir, "g.db")}" }
authentication:
  password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 }
  rate_limits: { general: { per_ip: { burst: 1000 } } }
messaging: { dev_outbox_page: true }
`);
    const ctx = await createContext(loadConfigFile(configFile()));
    for (let i = 0; i < N; i++) await createUser(ctx, { email: `member${i}@example.com`, password: `member-password-${i}`, verified: true });
    await ctx.storage.close();
    child = spawn(process.execPath, [BIN, "start", "--config", configFile()], { cwd: dir, stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("server did not start");
  });
  after(() => {
    child?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  async function timed(run: () => Promise<Response>): Promise<number> {
    const start = process.hrtime.bigint();
    const res = await run();
    await res.arrayBuffer();
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  type Attempt = (email: string, agent: UserAgent, csrf: string) => Promise<Response>;

  /** One round: N of each, interleaved. Returns the relative difference of the two means. */
  async function round(what: string, attempt: Attempt, page: string, tag: string): Promise<number> {
    const agent = new UserAgent();
    const csrf = csrfOf((await getPage(agent, `${url}${page}`)).html);
    for (let i = 0; i < 3; i++) await attempt(`warmup${tag}${i}@example.com`, agent, csrf);
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < N; i++) {
      // After each request, the server's after-answer work (a known account's email) runs untimed:
      // otherwise it lands in whichever request comes next, and only known accounts cause it.
      const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
      const k = async (): Promise<void> => { known.push(await timed(() => attempt(`member${i}@example.com`, agent, csrf))); await settle(); };
      const u = async (): Promise<void> => { unknown.push(await timed(() => attempt(`stranger${tag}${i}@example.com`, agent, csrf))); await settle(); };
      if (i % 2 === 0) { await k(); await u(); } else { await u(); await k(); }
    }
    const [km, um] = [mean(known), mean(unknown)];
    const diff = Math.abs(km - um) / Math.min(km, um);
    console.log(`# ${what}: existing ${km.toFixed(2)} ms, unknown ${um.toFixed(2)} ms (mean of ${N}), difference ${(diff * 100).toFixed(1)}%`);
    return diff;
  }

  /**
   * Up to 3 rounds, passing on the first within 25%: a real difference (a skipped argon2
   * verification is several times slower or faster) fails every round, while a noisy neighbour on
   * this 2-core machine (the suite runs two files at once) rarely spoils three in a row.
   */
  async function compare(what: string, attempt: Attempt, page: string): Promise<void> {
    const diffs: number[] = [];
    for (let r = 0; r < 3 && (diffs.length === 0 || diffs[diffs.length - 1] >= 0.25); r++) diffs.push(await round(what, attempt, page, `r${r}`));
    assert.ok(diffs[diffs.length - 1] < 0.25, `${what}: differences ${diffs.map((d) => `${(d * 100).toFixed(0)}%`).join(", ")}`);
  }

  it("login with a wrong password takes as long for an existing email as for an unknown one", async () => {
    await compare("login", (email, agent, csrf) => post(agent, `${url}/login`, { csrf, email, password: "not-the-password" }), "/login");
  });

  it("a reset request takes as long for an existing email as for an unknown one", async () => {
    await compare("reset", (email, agent, csrf) => post(agent, `${url}/forgot`, { csrf, email }), "/forgot");
  });

  it("keeps the emails in the outbox: `gatehouse outbox` prints them newest first, /_dev/outbox lists them", async () => {
    // The page first: spawnSync blocks this process for seconds, long enough for the server to close
    // the pooled keep-alive connection fetch would otherwise reuse (a "fetch failed" flake).
    const page = await fetch(`${url}/_dev/outbox`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Reset your password[\s\S]*member19@example\.com/);
    const r = spawnSync(process.execPath, [BIN, "outbox", "--config", configFile(), "--limit", "2"], { cwd: dir, encoding: "utf8", timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    const blocks = r.stdout.split(/^--- #/m).filter(Boolean);
    assert.equal(blocks.length, 2);
    assert.match(blocks[0], /To: member19@example\.com\nSubject: Reset your password\n\n[\s\S]*Your code is \d{6}, or open this link:\nhttp:\/\/127\.0\.0\.1:\d+\/reset\?token=[A-Za-z0-9_-]{43}/);
    assert.match(blocks[1], /To: member18@example\.com/);
    assert.doesNotMatch(r.stdout, /stranger/, "unknown addresses got nothing");
  });
});
