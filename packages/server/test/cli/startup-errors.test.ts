// Start-up failures an operator fixes are one line naming the config field and the fix, exit 1, no
// stack trace (--debug adds it). Each is produced for real: a port held open, a closed PostgreSQL
// port, an unknown role and database, a SQLite path through a file, a read-only mount.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/server.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { skipPostgres } from "../storage/fixtures.ts";
import { runCli, type CliResult } from "./run-cli.ts";

/** Exit 1 and exactly one line on stderr matching `pattern`, with no stack trace. */
function assertOneLine(r: CliResult, pattern: RegExp): void {
  assert.equal(r.status, 1, `exit status; output:\n${r.stdout}${r.stderr}`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `one line expected, got:\n${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at /, "no stack trace");
}

describe("gatehouse start failures", () => {
  let dir: string;
  let blocker: Server;
  let held: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    held = (blocker.address() as { port: number }).port;
  });
  after(() => {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = (name: string, yaml: string): string => {
    writeFileSync(join(dir, name), yaml);
    return name;
  };
  const sqlite = (name: string) => `database:\n  url: "sqlite:${join(dir, name)}"\n`;

  it("names http.listen when the port is taken", async () => {
    const c = config("busy.yaml", `http:\n  listen: "127.0.0.1:${held}"\n  public_origin: "http://127.0.0.1:${held}"\n${sqlite("busy.sqlite")}`);
    assertOneLine(await runCli(["start", "--config", c], { cwd: dir }), new RegExp(`^gatehouse: http\\.listen: 127\\.0\\.0\\.1:${held} is already in use; stop what listens there, or pick another port`));
  });

  it("names metrics.listen (not http.listen) when the metrics port is taken", async () => {
    const port = await freePort();
    const c = config("metrics.yaml", `http:\n  listen: "127.0.0.1:${port}"\n  public_origin: "http://127.0.0.1:${port}"\nmetrics:\n  listen: "127.0.0.1:${held}"\n${sqlite("metrics.sqlite")}`);
    assertOneLine(await runCli(["start", "--config", c], { cwd: dir }), new RegExp(`^gatehouse: metrics\\.listen: 127\\.0\\.0\\.1:${held} is already in use`));
  });

  it("names database.url when a SQLite path runs through a file", async () => {
    writeFileSync(join(dir, "plain-file"), "not a directory");
    const c = config("through.yaml", `database:\n  url: "sqlite:${join(dir, "plain-file", "data", "db.sqlite")}"\n`);
    assertOneLine(await runCli(["start", "--config", c, "--port", "0"], { cwd: dir }), /^gatehouse: database\.url: cannot create the directory for .*plain-file\/data\/db\.sqlite: .*plain-file is a file, not a directory/);
    // The one-shot commands report it the same way.
    assertOneLine(await runCli(["migrate", "--config", c], { cwd: dir }), /^gatehouse: database\.url: cannot create the directory/);
  });

  it("names database.url when the SQLite path is a directory", async () => {
    mkdirSync(join(dir, "a-directory"));
    const c = config("isdir.yaml", `database:\n  url: "sqlite:${join(dir, "a-directory")}"\n`);
    assertOneLine(await runCli(["migrate", "--config", c], { cwd: dir }), /^gatehouse: database\.url: cannot open .*a-directory \(unable to open database file\); it must be a file/);
  });

  it("names database.url when the SQLite file cannot be written (read-only mount)", async (t) => {
    const ro = join(dir, "ro");
    mkdirSync(ro);
    const c = config("ro.yaml", `database:\n  url: "sqlite:${join(ro, "db.sqlite")}"\n`);
    assert.equal((await runCli(["migrate", "--config", c], { cwd: dir })).status, 0);
    // Root ignores file modes, so a read-only bind mount stands in for an unwritable disk.
    const mounted = spawnSync("mount", ["--bind", "-o", "ro", ro, ro]);
    if (mounted.status !== 0) return t.skip("cannot bind-mount read-only here");
    try {
      assertOneLine(await runCli(["start", "--config", c, "--port", "0"], { cwd: dir }), /^gatehouse: database\.url: cannot open .*ro\/db\.sqlite/);
    } finally {
      spawnSync("umount", [ro]);
    }
  });

  it("names database.url, password masked, when PostgreSQL refuses the connection", async () => {
    const port = await freePort(); // nothing listens there
    const c = config("pg-closed.yaml", `database:\n  url: "postgres://gh:pw-secret@127.0.0.1:${port}/test"\n`);
    const r = await runCli(["start", "--config", c, "--port", "0"], { cwd: dir });
    assertOneLine(r, new RegExp(`^gatehouse: database\\.url: cannot connect to postgres://gh:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test: connection refused; start PostgreSQL, or fix the host and port$`));
    assert.doesNotMatch(r.stderr, /pw-secret/);
  });

  it("names database.url when the PostgreSQL host does not exist", async () => {
    const c = config("pg-host.yaml", `database:\n  url: "postgres://gh@no-such-host.invalid:5432/test"\n`);
    assertOneLine(await runCli(["migrate", "--config", c], { cwd: dir }), /^gatehouse: database\.url: cannot connect to postgres:\/\/gh@no-such-host\.invalid:5432\/test: host no-such-host\.invalid not found; fix the host name$/);
  });

  it("names database.url when PostgreSQL has no such role or database", { skip: skipPostgres }, async () => {
    const server = new URL(POSTGRES_URL);
    const role = config("pg-role.yaml", `database:\n  url: "postgres://nosuchrole:pw-secret@${server.host}/test"\n`);
    const r = await runCli(["start", "--config", role, "--port", "0"], { cwd: dir });
    assertOneLine(r, /^gatehouse: database\.url: PostgreSQL at postgres:\/\/nosuchrole:\*\*\*@.* refused the login: role "nosuchrole" does not exist; create the role, or fix the user name in database.url$/);
    assert.doesNotMatch(r.stderr, /pw-secret/);
    const db = new URL(POSTGRES_URL);
    db.pathname = "/gh_no_such_database";
    const database = config("pg-db.yaml", `database:\n  url: "${db.href}"\n`);
    assertOneLine(await runCli(["users", "create", "--config", database, "--email", "a@example.com", "--password", "a-long-password"], { cwd: dir }),
      /^gatehouse: database\.url: database "gh_no_such_database" does not exist at postgres:.*; create it \(createdb\), or fix the database name in database\.url$/);
  });

  it("names the unknown config key and exits without starting", async () => {
    const c = config("typo.yaml", `http:\n  publc_origin: "https://id.example.com"\n${sqlite("typo.sqlite")}`);
    const r = await runCli(["start", "--config", c, "--port", "0"], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /http\.publc_origin: unknown field; did you mean public_origin\?/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("--debug adds the stack trace", async () => {
    const c = config("debug.yaml", `http:\n  listen: "127.0.0.1:${held}"\n  public_origin: "http://127.0.0.1:${held}"\n${sqlite("debug.sqlite")}`);
    const r = await runCli(["start", "--config", c, "--debug"], { cwd: dir });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^gatehouse: http\.listen: .* is already in use/);
    assert.match(r.stderr, /\n\s+at /, "the stack is shown");
  });
});
