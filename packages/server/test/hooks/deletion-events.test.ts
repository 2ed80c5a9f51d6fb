// The events of features merged beside the hooks, against the signature-checking receiver:
// scheduling and cancelling an account's deletion each send one event, committed with the change.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "../support/server.ts";
import { startReceiver } from "./receiver.ts";
import { scheduleDeletion, unscheduleDeletion } from "../../src/settings-surface/account-deletion.ts";
import { parseConfig } from "../../src/config/load.ts";

const SECRET = "test-webhook-secret-0123456789";

describe("webhooks: scheduled deletion", () => {
  it("sends user.deletion_scheduled and user.deletion_unscheduled once each, with the user", async () => {
    const receiver = await startReceiver(SECRET);
    const server = await startTestServer({
      config: { hook: { x_webhook_secret: SECRET, non_blocking_handlers: [{ events: ["user.deletion_scheduled", "user.deletion_unscheduled"], url: receiver.url }], x_delivery: { initial_backoff_seconds: 0.05, max_backoff_seconds: 0.2, poll_interval_seconds: 0.1, timeout_seconds: 2 } } },
    });
    try {
      const id = await server.createUser("grace@example.com", "correct horse battery");
      assert.equal((await scheduleDeletion(server.ctx, id, { byAdmin: true, actor: "admin" })).ok, true);
      assert.equal((await scheduleDeletion(server.ctx, id, { byAdmin: true, actor: "admin" })).ok, false, "already scheduled: no second event");
      assert.equal(await unscheduleDeletion(server.ctx, id, { actor: "admin" }), true);
      await receiver.waitFor((r) => r.length >= 2);
      await new Promise((r) => setTimeout(r, 300)); // nothing more may come
      assert.deepEqual(receiver.received.map((r) => r.event.type), ["user.deletion_scheduled", "user.deletion_unscheduled"]);
      assert.ok(receiver.received.every((r) => r.signatureOk));
      const [scheduled, unscheduled] = receiver.received.map((r) => r.event);
      assert.equal(scheduled.payload.user.id, id);
      assert.equal(scheduled.payload.user.is_disabled, true);
      assert.equal(scheduled.context.triggered_by, "admin_api");
      assert.equal(unscheduled.payload.user.is_disabled, false);
    } finally {
      await server.close();
      await receiver.close();
    }
  });

  it("user.pre_schedule_deletion can refuse (nothing scheduled, the user stays enabled); the events Gatehouse never calls are refused in the config", async () => {
    const receiver = await startReceiver(SECRET, () => ({ status: 200, body: { is_allowed: false, title: "Open orders", reason: "Settle your orders first" } }));
    const server = await startTestServer({ config: { hook: { x_webhook_secret: SECRET, blocking_handlers: [{ event: "user.pre_schedule_deletion", url: receiver.url }] } } });
    try {
      const id = await server.createUser("orders@example.com", "correct horse battery");
      const r = await scheduleDeletion(server.ctx, id, { byAdmin: false, actor: `user:${id}` });
      assert.deepEqual(r, { ok: false, reason: "hook_denied", title: "Open orders", message: "Settle your orders first", failed: false });
      assert.equal(await server.ctx.storage.accountDeletions.get(id), null);
      assert.equal((await server.ctx.storage.users.get(id))?.disabled, false);
      assert.equal(receiver.received.at(-1)?.event.payload.user.id, id);
    } finally {
      await server.close();
      await receiver.close();
    }
    assert.throws(() => parseConfig({ hook: { x_webhook_secret: SECRET, blocking_handlers: [{ event: "authentication.pre_authenticated", url: "https://hooks.example.com/" }] } }), /does not call yet/);
  });
});
