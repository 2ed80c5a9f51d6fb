// Start-up failures an operator fixes are one line naming the config field, exit 1, no stack trace.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = new URL("../../../../bin/gatehouse.mjs", import.meta.url).pathname;
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 60000 });

describe("gatehouse start failures", () => {
  it("names http.listen when the port is taken", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      writeFileSync(join(dir, "c.yaml"), `http:\n  listen: "127.0.0.1:${port}"\n  public_origin: "http://127.0.0.1:${port}"\ndatabase:\n  url: "sqlite:${join(dir, "db.sqlite")}"\n`);
      const r = run(["start", "--config", "c.yaml"], dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^gatehouse: http\.listen: 127\.0\.0\.1:\d+ is already in use/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names database.url when the SQLite file cannot be written (read-only mount)", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
    const ro = join(dir, "ro");
    mkdirSync(ro);
    writeFileSync(join(dir, "c.yaml"), `database:\n  url: "sqlite:${join(ro, "db.sqlite")}"\n`);
    try {
      assert.equal(run(["migrate", "--config", "c.yaml"], dir).status, 0);
      // Root ignores file modes, so a read-only bind mount stands in for an unwritable disk.
      const mounted = spawnSync("mount", ["--bind", "-o", "ro", ro, ro]);
      if (mounted.status !== 0) return t.skip("cannot bind-mount read-only here");
      try {
        const r = run(["start", "--config", "c.yaml", "--port", "0"], dir);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /^gatehouse: database\.url: the database cannot be opened or written/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      } finally {
        spawnSync("umount", [ro]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
