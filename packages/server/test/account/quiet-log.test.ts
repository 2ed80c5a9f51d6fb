// What an operator's log shows for ordinary refusals: nothing at warn or error level. Every
// rejected login or sign-up form used to log "Cannot use 'in' operator…" at error level after the
// 403 was sent (anyone could flood the error log), and every finished TOTP step logged "Reply was
// already sent" (both: an async function returned a FastifyReply, which is a thenable).
// The real `gatehouse start` runs in a child process with its production logger on stdout.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { generate } from "otplib";
import { createContext } from "../../src/app.ts";
import { loadConfigFile } from "../../src/config/load.ts";
import { newTotpSecret } from "../../src/account/mfa/totp.ts";
import { createUser } from "../../src/users/users.ts";
import { freePort } from "../support/server.ts";
import { UserAgent, csrfOf, getPage, post } from "./fixture.ts";

const BIN = new URL("../../../../bin/gatehouse.mjs", import.meta.url).pathname;

describe("the log stays quiet on refused forms", () => {
  let dir = "";
  let url = "";
  let child: ChildProcess | undefined;
  let output = "";
  let secret = "";

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-quiet-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const configFile = join(dir, "gatehouse.yaml");
    writeFileSync(configFile, `http: { public_origin: "${url}", listen: "127.0.0.1:${port}" }
database: { url: "sqlite:${join(dir, "g.db")}" }
authentication:
  password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 }
`);
    const ctx = await createContext(loadConfigFile(configFile));
    await createUser(ctx, { email: "olga@example.com", password: "olgas-password-1", verified: true });
    const r = await createUser(ctx, { email: "tess@example.com", password: "tess-password-1", verified: true });
    if (!r.ok) throw new Error(r.reason);
    secret = newTotpSecret();
    await ctx.storage.totp.putPending({ userId: r.user.id, secret, createdAt: ctx.now(), confirmedAt: null, lastUsedStep: 0 });
    await ctx.storage.totp.confirm(r.user.id, secret, ctx.now(), 0);
    await ctx.storage.close();
    child = spawn(process.execPath, [BIN, "start", "--config", configFile], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d: Buffer) => { output += d.toString(); });
    child.stderr!.on("data", (d: Buffer) => { output += d.toString(); });
    for (let i = 0; i < 300; i++) { // up to 30 s: the machine may be busy
      if (await fetch(`${url}/healthz`).then((res) => res.ok, () => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`server did not start:\n${output}`);
  });
  after(() => {
    child?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  /** Log lines at warn (40) or above, or anything on the output that is not a JSON log line. */
  async function loudLines(since: number): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, 300)); // whatever runs after the reply
    return output.slice(since).split("\n").filter((line) => line.trim()).filter((line) => {
      try {
        return (JSON.parse(line) as { level: number }).level >= 40;
      } catch {
        return true;
      }
    });
  }

  const form = (path: string, body: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });

  it("rejected login and sign-up forms (bad CSRF, bad fields, unknown flow, wrong password) log nothing at warn or error", async () => {
    const since = output.length;
    const answers: number[] = [];
    for (const path of ["/login", "/signup"]) {
      answers.push((await form(path, "csrf=forged&email=a%40example.com&password=b")).status);
      answers.push((await form(path, "email=a%40example.com&password=b")).status);
      answers.push((await form(path, "csrf=x&email=a%40example.com&password=b", { origin: "https://evil.example" })).status);
      const agent = new UserAgent();
      const csrf = csrfOf((await getPage(agent, `${url}${path}`)).html);
      answers.push((await post(agent, `${url}${path}`, { csrf, email: "x".repeat(300), password: "b" })).status);
      answers.push((await post(agent, `${url}${path}`, { csrf, email: "a@example.com", password: "b\u0001" })).status);
      answers.push((await post(agent, `${url}${path}`, { csrf, flow: "no-such-flow", email: "a@example.com", password: "whatever-password" })).status);
    }
    const agent = new UserAgent();
    const csrf = csrfOf((await getPage(agent, `${url}/login`)).html);
    answers.push((await post(agent, `${url}/login`, { csrf, email: "olga@example.com", password: "not-olgas-password" })).status);
    answers.push((await post(agent, `${url}/signup`, { csrf, email: "olga@example.com", password: "short" })).status);
    assert.deepEqual(answers, [403, 403, 403, 400, 400, 400, 403, 403, 403, 400, 400, 400, 401, 400]);
    assert.deepEqual(await loudLines(since), []);
  });

  it("a finished second step (and a replayed one) logs nothing at warn or error", async () => {
    const since = output.length;
    const agent = new UserAgent();
    const csrf = csrfOf((await getPage(agent, `${url}/login`)).html);
    const first = await post(agent, `${url}/login`, { csrf, email: "tess@example.com", password: "tess-password-1" });
    assert.equal(first.headers.get("location"), "/login/totp");
    const page = await getPage(agent, `${url}/login/totp`);
    const pending = agent.cookies.get("gh_pending")!;
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
    const done = await post(agent, `${url}/login/totp`, { csrf: csrfOf(page.html), code });
    assert.equal(done.status, 303);
    // The same pending login submitted again: refused once, with one answer.
    agent.cookies.set("gh_pending", pending);
    const again = await post(agent, `${url}/login/totp`, { csrf: csrfOf(page.html), code });
    assert.ok(again.status >= 400 && again.status < 500, String(again.status));
    assert.deepEqual(await loudLines(since), []);
  });
});
