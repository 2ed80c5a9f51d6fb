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
import { cli, startServer, writeConfig, type ServerProcess } from "./processes.ts";

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
      const n = 6;
      // Changes made by other processes: both servers only see them by polling, and race for each.
      await Promise.all(Array.from({ length: n }, (_, i) => new Promise<void>((resolve, reject) => {
        const r = cli(files[i % 2], ["users", "create", "--email", `pg${i}@example.com`, "--password", "correct horse battery"]);
        if (r.status === 0) resolve();
        else reject(new Error(r.out));
      })));
      await receiver.waitFor(() => receiver.delivered().length >= n, 180_000);
      await new Promise((r) => setTimeout(r, 800));
      const ids = receiver.delivered().map((r) => r.event.id);
      assert.equal(ids.length, n, "no event delivered twice");
      assert.equal(new Set(ids).size, n);
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
