// The `gatehouse` command contract: init, migrate, users create, start.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/server.ts";

const BIN = new URL("../../../../bin/gatehouse.mjs", import.meta.url).pathname;
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 60000 });

describe("gatehouse CLI", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("init writes a commented config that start accepts, and refuses to overwrite it", () => {
    const r = run(["init", "--config", "g.yaml"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(readFileSync(join(dir, "g.yaml"), "utf8"), /# Gatehouse configuration/);
    assert.equal(run(["init", "--config", "g.yaml"], dir).status, 1);
  });

  it("migrate and users create work on a config file; a duplicate user fails", () => {
    writeFileSync(join(dir, "c.yaml"), `database:\n  url: "sqlite:${join(dir, "db.sqlite")}"\n`);
    assert.equal(run(["migrate", "--config", "c.yaml"], dir).status, 0);
    const r = run(["users", "create", "--config", "c.yaml", "--email", "ann@example.com", "--password", "anns-password-1", "--verified"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.trim(), /^[0-9a-f-]{36}$/);
    const dup = run(["users", "create", "--config", "c.yaml", "--email", "ANN@example.com", "--password", "anns-password-1"], dir);
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /already exists/);
  });

  it("users create applies the configured password policy: a one-line error and a non-zero exit", () => {
    writeFileSync(join(dir, "p.yaml"), `database:\n  url: "sqlite:${join(dir, "p.sqlite")}"\nauthentication:\n  password_policy:\n    min_length: 12\n    digit_required: true\n`);
    const weak = run(["users", "create", "--config", "p.yaml", "--email", "pat@example.com", "--password", "pats-password"], dir);
    assert.equal(weak.status, 1);
    assert.equal(weak.stderr.trim().split("\n").length, 1, weak.stderr);
    assert.match(weak.stderr, /password_policy: it must include a digit/);
    assert.equal(weak.stdout, "");
    const ok = run(["users", "create", "--config", "p.yaml", "--email", "pat@example.com", "--password", "pats-password-2"], dir);
    assert.equal(ok.status, 0, ok.stderr);
  });

  it("keys rotate adds a signing key and keeps the old one published", () => {
    writeFileSync(join(dir, "k.yaml"), `database:\n  url: "sqlite:${join(dir, "keys.sqlite")}"\n`);
    const r = run(["keys", "rotate", "--config", "k.yaml"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.trim(), /^[0-9a-f]{32}$/);
    assert.match(r.stderr, /stays in the JWKS/);
  });

  it("one-shot commands work without Redis even when redis.url is set; start refuses an unreachable one", async () => {
    const port = await freePort(); // nothing listens there
    const listen = await freePort();
    writeFileSync(join(dir, "r.yaml"), `http:\n  public_origin: "http://localhost:${listen}"\ndatabase:\n  url: "sqlite:${join(dir, "r.sqlite")}"\nredis:\n  url: "redis://:pw-secret@127.0.0.1:${port}"\n`);
    const created = run(["users", "create", "--config", "r.yaml", "--email", "rae@example.com", "--password", "raes-password-1"], dir);
    assert.equal(created.status, 0, created.stderr);
    const started = run(["start", "--config", "r.yaml", "--port", String(listen)], dir);
    assert.equal(started.status, 1);
    assert.match(started.stderr, /redis\.url: cannot connect to redis:\/\/:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(started.stderr + started.stdout, /pw-secret/);
  });

  it("reports config errors by path and exits non-zero", () => {
    writeFileSync(join(dir, "bad.yaml"), `oauth:\n  clients:\n    - client_id: x\n      redirect_uris: ["nope"]\n`);
    const r = run(["migrate", "--config", "bad.yaml"], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /oauth\.clients\[0\]\.redirect_uris\[0\]: must be an absolute URL/);
  });

  it("start --port serves /healthz and the demo", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, "start", "--demo", "--port", String(port)], { cwd: dir, stdio: "pipe" });
    try {
      let ok = false;
      for (let i = 0; i < 100 && !ok; i++) {
        await new Promise((r) => setTimeout(r, 100));
        ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      }
      assert.ok(ok, "server did not come up");
      const demo = await fetch(`http://127.0.0.1:${port}/demo/`);
      assert.equal(demo.status, 200);
      const disc = await (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).json();
      assert.equal(disc.issuer, `http://localhost:${port}`);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
