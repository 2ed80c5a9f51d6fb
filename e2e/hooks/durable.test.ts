// The outbox survives the process: kill -9 the server after the change and before the delivery,
// restart it, and the event arrives once (two-nodes.test.ts: several servers on one PostgreSQL).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../packages/server/test/support/server.ts";
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

// Starting real processes is slow on a loaded machine: these cases get minutes, not the default two.
describe("webhook outbox across processes", { timeout: 600_000 }, () => {
  it("an event pending when the server is killed -9 is delivered once after the restart", { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-hooks-e2e-"));
    let up = false;
    const receiver = await startReceiver(SECRET, () => ({ status: up ? 200 : 503 }));
    const port = await freePort();
    const file = writeConfig(dir, "gatehouse.yaml", config(port, `sqlite:${join(dir, "db.sqlite")}`, receiver.url));
    let server: ServerProcess | null = await startServer(file, port);
    try {
      const made = cli(file, ["users", "create", "--email", "kill@example.com", "--password", "correct horse battery"]);
      assert.equal(made.status, 0, made.out);
      await receiver.waitFor((r) => r.length >= 1, 120_000); // the worker tried, the receiver said 503
      await server.kill9();
      server = null;
      const failedTries = receiver.received.length;
      up = true;
      server = await startServer(file, port);
      await receiver.waitFor(() => receiver.delivered().length >= 1, 120_000);
      await new Promise((r) => setTimeout(r, 500));
      const ok = receiver.delivered();
      assert.equal(ok.length, 1, "delivered exactly once");
      assert.equal(ok[0].event.type, "user.created");
      assert.equal(ok[0].event.payload.user.standard_attributes.email, "kill@example.com");
      assert.ok(failedTries >= 1);
      assert.ok(receiver.received.every((r) => r.event.id === ok[0].event.id), "no other event and no duplicate");
    } finally {
      await server?.kill9();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

});
