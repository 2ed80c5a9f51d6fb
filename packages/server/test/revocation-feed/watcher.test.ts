// The revocation watcher over a real SQLite store: a poll asked for while another is reading the
// log gets a pass of its own, so an event written during that read is not left for the next tick.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "../../src/storage/sqlite/index.ts";
import { startRevocationWatcher } from "../../src/revocation-feed/watcher.ts";
import type { Context } from "../../src/context.ts";
import { createMetrics } from "../../src/observability/metrics.ts";
import type { RevocationEvent } from "../../src/storage/admin-ports.ts";

describe("revocation watcher", () => {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-watcher-"));
  const storage = openSqlite(join(dir, "db.sqlite"));
  after(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("polls again when asked during a poll", async () => {
    await storage.migrate();
    // Hold the first read of the log until the test lets it go.
    const since = storage.revocations.since.bind(storage.revocations);
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let reads = 0;
    storage.revocations.since = async (seq, limit) => {
      reads++;
      const events = await since(seq, limit);
      if (reads === 1) await held;
      return events;
    };
    const ctx = { storage, revocationListeners: new Set(), metrics: createMetrics({ processMetrics: false }), now: () => 1000 } as unknown as Context;
    const watcher = await startRevocationWatcher(ctx, { intervalMs: 3_600_000 });
    const heard: RevocationEvent[] = [];
    watcher.subscribe((events) => heard.push(...events));
    try {
      const first = watcher.poll(); // reads an empty log, and is held there
      await storage.revocations.append({ kind: "grant", id: "o.0123", at: 1000, expiresAt: 2000 });
      const second = watcher.poll(); // asked while the first is running
      release();
      await Promise.all([first, second]);
      assert.deepEqual(heard.map((e) => e.id), ["o.0123"]);
    } finally {
      watcher.stop();
    }
  });
});
