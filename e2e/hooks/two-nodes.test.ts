// Two servers on one PostgreSQL schema: each event is delivered by exactly one of them (claims use
// FOR UPDATE SKIP LOCKED and a lease).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freePort } from "../../packages/server/test/support/server.ts";
import { skipPostgres } from "../../packages/server/test/storage/fixtures.ts";
import { POSTGRES_URL } from "../../packages/server/test/storage/backends.ts";
import { startReceiver } from "../../packages/server/test/hooks/receiver.ts";
import { startServer, writeConfig, type ServerProcess } from "./processes.ts";
import { openPostgres } from "../../packages/server/src/storage/postgres/index.ts";
import { parseConfig } from "../../packages/server/src/config/load.ts";
import { emitEvent } from "../../packages/server/src/hooks/emit.ts";

const SECRET = "e2e-webhook-secret-0123456789";

function config(port: number, databaseUrl: string, receiverUrl: string): Record<string, unknown> {
  return {
    http: { public_origin: `http://127.0.0.1:${port}`, listen: `127.0.0.1:${port}` },
    database: { url: databaseUrl },
    log: { level: "warn", requests: "none" },
    authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } },
    hook: {
      x_webhook_secret: SECRET,
      non_blocking_handlers: [{ events: ["*"], url: receiverUrl }],
      x_delivery: { initial_backoff_seconds: 0.1, max_backoff_seconds: 0.3, poll_interval_seconds: 0.1, timeout_seconds: 2 },
    },
  };
}

describe("webhook outbox on two PostgreSQL nodes", { timeout: 600_000 }, () => {
  it("two servers on one PostgreSQL schema deliver each event exactly once", { skip: skipPostgres, timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-hooks-e2e-"));
    const schema = `gh_hooks_${randomBytes(5).toString("hex")}`;
    const receiver = await startReceiver(SECRET);
    const ports = [await freePort(), await freePort()];
    const files = ports.map((p, i) => writeConfig(dir, `node${i}.yaml`, config(p, `${POSTGRES_URL}?schema=${schema}`, receiver.url)));
    const servers: ServerProcess[] = [];
    try {
      servers.push(await startServer(files[0], ports[0]));
      servers.push(await startServer(files[1], ports[1]));
      const n = 40;
      // The changes come from a third process-like writer (its own pool, no worker): both servers only
      // see them by polling, and race for each.
      const writer = openPostgres(`${POSTGRES_URL}?schema=${schema}`);
      try {
        const cfg = parseConfig(config(ports[0], `${POSTGRES_URL}?schema=${schema}`, receiver.url));
        for (let i = 0; i < n; i++) {
          await writer.atomic(() => emitEvent({ config: cfg, storage: writer }, { type: "user.created", userId: `user-${i % 5}`, payload: { user: { id: `user-${i % 5}` }, n: i } }, { triggeredBy: "system" }));
        }
      } finally {
        await writer.close();
      }
      await receiver.waitFor(() => receiver.delivered().length >= n, 180_000);
      await new Promise((r) => setTimeout(r, 800));
      const ids = receiver.delivered().map((r) => r.event.id);
      assert.equal(ids.length, n, "no event delivered twice");
      assert.equal(new Set(ids).size, n);
      // Each user's events arrived in the order they were emitted, whichever node sent them.
      for (let u = 0; u < 5; u++) {
        const ns = receiver.delivered().filter((r) => r.event.payload.user.id === `user-${u}`).map((r) => r.event.payload.n);
        assert.deepEqual(ns, [...ns].sort((a, b) => a - b), `user-${u} in order`);
      }
      assert.ok(receiver.received.every((r) => r.signatureOk));
    } finally {
      for (const s of servers) await s.kill9();
      await receiver.close();
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
