// Webhooks end to end against a real receiver (receiver.ts verifies x-authgear-body-signature), on
// SQLite and PostgreSQL: every event of the user lifecycle arrives once with Authgear's shape; an
// event commits with its change (a rolled-back change sends nothing); a failing receiver gets retries
// in seq order; the last failure dead-letters the delivery and a replay delivers it.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../support/server.ts";
import { backends } from "../storage/backends.ts";
import { skipPostgres } from "../storage/fixtures.ts";
import { startReceiver, type Receiver } from "./receiver.ts";
import { adminDeleteUser, adminSetDisabled } from "../../src/admin/operations.ts";
import { emitUserEvent } from "../../src/hooks/user-hooks.ts";
import { emitEvent } from "../../src/hooks/emit.ts";
import { revokeAllForUser } from "../../src/session/revocation.ts";

const SECRET = "test-webhook-secret-0123456789";
const fast = { initial_backoff_seconds: 0.05, max_backoff_seconds: 0.2, poll_interval_seconds: 0.1, timeout_seconds: 2 };

async function serverWith(databaseUrl: string, receiver: Receiver, delivery: Record<string, unknown> = {}): Promise<TestServer> {
  return startTestServer({
    databaseUrl,
    config: { hook: { x_webhook_secret: SECRET, non_blocking_handlers: [{ events: ["*", "user.session.terminated"], url: receiver.url }], x_delivery: { ...fast, ...delivery } } },
  });
}

for (const backend of backends) {
  describe(`webhooks: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    let db: Awaited<ReturnType<typeof backend.open>>;
    before(async () => {
      db = await backend.open();
      await db.storage.close();
    });
    after(async () => db.drop());

    it("sends each lifecycle event once, signed, with Authgear's body and the user model", async () => {
      const receiver = await startReceiver(SECRET);
      const server = await serverWith(db.url, receiver);
      try {
        const id = await server.createUser("ada@example.com", "correct horse battery");
        await adminSetDisabled(server.ctx, { id: "admin" }, id, true, "fraud check");
        await adminSetDisabled(server.ctx, { id: "admin" }, id, false, "");
        await adminDeleteUser(server.ctx, { id: "admin" }, id);
        await receiver.waitFor((r) => r.length >= 4);
        await new Promise((r) => setTimeout(r, 300)); // nothing more may come
        assert.deepEqual(receiver.received.map((r) => r.event.type), ["user.created", "user.disabled", "user.reenabled", "user.deleted"]);
        assert.ok(receiver.received.every((r) => r.signatureOk && r.status === 200));
        const seqs = receiver.received.map((r) => r.event.seq);
        assert.deepEqual([...seqs].sort((a, b) => a - b), seqs, "seq grows");
        assert.equal(new Set(receiver.received.map((r) => r.event.id)).size, 4);
        const [created, disabled] = receiver.received.map((r) => r.event);
        assert.deepEqual(Object.keys(created).sort(), ["context", "id", "payload", "seq", "type"]);
        assert.equal(created.payload.user.id, id);
        assert.equal(created.payload.user.standard_attributes.email, "ada@example.com");
        assert.equal(created.payload.user.is_disabled, false);
        assert.match(created.payload.user.created_at, /^\d{4}-\d\d-\d\dT/);
        assert.equal(created.payload.identities[0].type, "login_id");
        assert.equal(created.payload.identities[0].claims.email, "ada@example.com");
        assert.equal(created.context.triggered_by, "system");
        assert.equal(created.context.user_id, id);
        assert.equal(typeof created.context.timestamp, "number");
        assert.equal(disabled.payload.user.is_disabled, true);
        assert.equal(disabled.payload.user.disable_reason, "fraud check");
        assert.equal(disabled.context.triggered_by, "admin_api");
      } finally {
        await server.close();
        await receiver.close();
      }
    });

    it("writes no event for a change that rolled back, and refuses an emit outside storage.atomic", async () => {
      const receiver = await startReceiver(SECRET);
      const server = await serverWith(db.url, receiver);
      try {
        const id = await server.createUser("bob@example.com", "correct horse battery");
        const user = (await server.ctx.storage.users.get(id))!;
        await assert.rejects(server.ctx.storage.atomic(async () => {
          await server.ctx.storage.users.update(id, { disabled: true, disabledReason: "x" }, server.ctx.now());
          await emitUserEvent(server.ctx, "user.disabled", user, { triggeredBy: "system" });
          throw new Error("boom");
        }), /boom/);
        assert.equal((await server.ctx.storage.users.get(id))!.disabled, false, "the change rolled back");
        await assert.rejects(emitEvent(server.ctx, { type: "user.created", userId: id, payload: {} }, { triggeredBy: "system" }), /inside storage.atomic/);
        await receiver.waitFor((r) => r.length >= 1);
        await new Promise((r) => setTimeout(r, 400));
        assert.deepEqual(receiver.received.map((r) => r.event.type), ["user.created"]);
      } finally {
        await server.close();
        await receiver.close();
      }
    });

    it("retries a receiver that fails five times, delivering one user's events in seq order", async () => {
      let failures = 0;
      const receiver = await startReceiver(SECRET, () => (failures++ < 5 ? { status: 500 } : { status: 200 }));
      const server = await serverWith(db.url, receiver);
      try {
        const id = await server.createUser("cy@example.com", "correct horse battery");
        await adminSetDisabled(server.ctx, { id: "admin" }, id, true, "");
        await adminSetDisabled(server.ctx, { id: "admin" }, id, false, "");
        await receiver.waitFor(() => receiver.delivered().length >= 3);
        assert.deepEqual(receiver.delivered().map((r) => r.event.type), ["user.created", "user.disabled", "user.reenabled"]);
        // No later event of the user was tried before the earlier one got through.
        const firstOk = receiver.received.findIndex((r) => r.status === 200);
        assert.ok(receiver.received.slice(0, firstOk).every((r) => r.event.type === "user.created"), "user.created was retried alone until it got through");
        assert.equal(receiver.received.filter((r) => r.status === 500).length, 5);
      } finally {
        await server.close();
        await receiver.close();
      }
    });

    it("dead-letters after max_attempts, and a replay delivers it", async () => {
      let ok = false;
      const receiver = await startReceiver(SECRET, () => ({ status: ok ? 204 : 503 }));
      const server = await serverWith(db.url, receiver, { max_attempts: 2 });
      try {
        const id = await server.createUser("di@example.com", "correct horse battery");
        await revokeAllForUser(server.ctx, id, { origin: { triggeredBy: "user" } }); // no sessions: no event
        let dead: Awaited<ReturnType<typeof server.ctx.storage.hookEvents.list>> = [];
        for (let i = 0; i < 100 && dead.length === 0; i++) {
          dead = await server.ctx.storage.hookEvents.list({ status: "dead", limit: 10 });
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(dead.length, 1);
        assert.equal(dead[0].attempts, 2);
        assert.equal(dead[0].lastStatusCode, 503);
        assert.equal(receiver.received.length, 2);
        ok = true;
        assert.equal(await server.ctx.storage.hookEvents.replay(dead[0].id, Date.now()), true);
        await receiver.waitFor(() => receiver.delivered().length === 1);
        assert.equal(receiver.delivered()[0].event.id, dead[0].eventId);
        // The worker records the outcome just after the receiver answered.
        let status = "";
        for (let i = 0; i < 50 && status !== "delivered"; i++) {
          status = (await server.ctx.storage.hookEvents.get(dead[0].id))?.status ?? "";
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(status, "delivered");
      } finally {
        await server.close();
        await receiver.close();
      }
    });
  });
}
