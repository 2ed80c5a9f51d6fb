// `gatehouse` from the JavaScript build (scripts/build.mjs, run on install): commands and the server
// work from it, files read next to their sources (portal assets, the demo's SDK) are still found, and
// a build older than its sources is not run.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/server.ts";
import { runCli, startCli } from "./run-cli.ts";

const ROOT = new URL("../../../../", import.meta.url).pathname;

describe("gatehouse from the build", () => {
  let dir: string;
  let build: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
    // Inside the checkout, as dist/ is, so that the build finds node_modules.
    build = mkdtempSync(join(ROOT, ".build-test-"));
    const made = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--outdir", build], { encoding: "utf8", timeout: 120_000 });
    assert.equal(made.status, 0, made.stderr);
    env = { ...process.env, GATEHOUSE_DIST: build };
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  });

  it("runs commands from the build, and from source once a source is newer than the build", async () => {
    writeFileSync(join(dir, "c.yaml"), `database:\n  url: "sqlite:${join(dir, "c.sqlite")}"\n`);
    writeFileSync(join(dir, "bad.yaml"), `database:\n  url: "sqlite:${join(dir, "c.yaml", "db.sqlite")}"\n`);
    const created = await runCli(["users", "create", "--config", "c.yaml", "--email", "bo@example.com", "--password", "bos-password-1"], { cwd: dir, env });
    assert.equal(created.status, 0, created.stderr);
    // Which code ran shows in a stack trace (--debug): the build's chunks, or the .ts sources.
    const fromBuild = await runCli(["migrate", "--config", "bad.yaml", "--debug"], { cwd: dir, env });
    assert.match(fromBuild.stderr, /^gatehouse: database\.url: /);
    assert.ok(fromBuild.stderr.includes(build), `stack from the build expected:\n${fromBuild.stderr}`);
    const info = join(build, "build-info.json");
    writeFileSync(info, JSON.stringify({ ...JSON.parse(readFileSync(info, "utf8")), built: 0 }));
    const fromSource = await runCli(["migrate", "--config", "bad.yaml", "--debug"], { cwd: dir, env });
    assert.match(fromSource.stderr, /^gatehouse: database\.url: /);
    assert.ok(!fromSource.stderr.includes(build) && fromSource.stderr.includes("src/storage/sqlite/index.ts"), `stack from source expected:\n${fromSource.stderr}`);
  });

  it("serves the demo, its SDK and the portal's files from the build", async () => {
    const made = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--outdir", build], { encoding: "utf8", timeout: 120_000 });
    assert.equal(made.status, 0, made.stderr);
    const port = await freePort();
    const server = startCli(["start", "--demo", "--port", String(port), "--debug"], { cwd: mkdtempSync(join(dir, "demo-")), env });
    try {
      await server.waitFor(/demo app: /);
      const base = `http://127.0.0.1:${port}`;
      const sdk = await fetch(`${base}/demo/authgear-web.js`);
      assert.equal(sdk.status, 200);
      assert.match(await sdk.text(), /authgear/i);
      const portal = await fetch(`${base}/portal/style.css`);
      assert.equal(portal.status, 200);
      assert.equal(await portal.text(), readFileSync(join(ROOT, "packages/portal/public/style.css"), "utf8"));
      assert.equal((await fetch(`${base}/demo/`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});
