// SQLite on a full disk (issue 11 §11: refresh answered 500 sixty times with nothing logged): writes
// fail with StorageUnavailableError (a 503 at the edge), reads go on, writes resume once there is
// room, without reopening. Needs a small tmpfs, so root; skipped where mounting is not allowed.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "../../src/storage/sqlite/index.ts";
import { isStorageUnavailable } from "../../src/storage/errors.ts";
import { newUser } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "gatehouse-disk-"));
const mount = join(dir, "tmpfs");
mkdirSync(mount);
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mount], { stdio: "ignore" }).status === 0;

describe("SQLite on a full disk", { skip: mounted ? false : "cannot mount a tmpfs here (needs root)" }, () => {
  after(() => {
    spawnSync("umount", ["-l", mount], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes fail as StorageUnavailableError (SQLITE_FULL), reads go on, writes resume when space returns", async () => {
    const storage = openSqlite(join(mount, "db.sqlite"));
    await storage.migrate();
    const user = newUser();
    await storage.users.create(user, "hash");
    const filler = join(mount, "filler");
    const fd = openSync(filler, "w");
    const chunk = Buffer.alloc(16 * 1024, 1);
    try {
      for (let i = 0; i < 200; i++) writeSync(fd, chunk);
    } catch { /* ENOSPC */ }
    try {
      for (let i = 0; i < 64; i++) writeSync(fd, chunk.subarray(0, 512));
    } catch { /* to the last block */ }
    closeSync(fd);
    try {
      let failure: unknown = null;
      // Enough rows to need a new page whatever space the WAL had left.
      for (let i = 0; i < 200 && failure === null; i++) {
        try {
          await storage.users.create({ ...newUser(), email: `${"x".repeat(200)}${i}@example.com` }, "h".repeat(500));
        } catch (err) {
          failure = err;
        }
      }
      assert.ok(isStorageUnavailable(failure), `got ${String(failure)}`);
      assert.match((failure as Error).message, /SQLITE_FULL|SQLITE_IOERR/);
      assert.deepEqual(await storage.users.get(user.id), user, "reads go on");
    } finally {
      unlinkSync(filler);
    }
    assert.ok(await storage.users.create(newUser(), null), "writes resume without reopening");
    await storage.close();
  });
});
