// The admin API of the outbox: deliveries listed with status, attempts, latency and the receiver's
// answer; a dead one replayed; a test event posted to a configured handler (and only to one); hostile
// input refused with the admin error envelope.
import { it } from "node:test";
import assert from "node:assert/strict";
import { startTestServer } from "../support/server.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { startReceiver } from "./receiver.ts";

const SECRET = "test-webhook-secret-0123456789";

it("admin API: deliveries, replay of a dead one, test event, hostile input", async () => {
  let up = false;
  const receiver = await startReceiver(SECRET, () => ({ status: up ? 200 : 500, body: up ? { ok: 1 } : { error: "down" } }));
  const server = await startTestServer({
    config: { hook: { x_webhook_secret: SECRET, non_blocking_handlers: [{ events: ["*"], url: receiver.url }], x_delivery: { max_attempts: 1, poll_interval_seconds: 0.1 } } },
  });
  try {
    const { key } = await createAdminKey(server.ctx, "ops");
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/_api/admin${path}`, {
        method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    await server.createUser("ops@example.com", "correct horse battery");
    let dead: any[] = [];
    for (let i = 0; i < 100 && dead.length === 0; i++) {
      dead = (await api("GET", "/hooks/deliveries?status=dead")).body.items;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(dead.length, 1);
    assert.equal(dead[0].type, "user.created");
    assert.equal(dead[0].last_status_code, 500);
    assert.match(dead[0].last_response, /down/);
    assert.equal(typeof dead[0].last_latency_ms, "number");
    assert.equal(dead[0].handler, receiver.url);

    up = true;
    const replayed = await api("POST", `/hooks/deliveries/${dead[0].id}/replay`);
    assert.equal(replayed.status, 200);
    assert.equal(replayed.body.status, "pending");
    await receiver.waitFor(() => receiver.delivered().length === 1);

    const test = await api("POST", "/hooks/test", { url: receiver.url });
    assert.equal(test.status, 200);
    assert.equal(test.body.ok, true);
    assert.equal(receiver.received.at(-1)!.event.type, "x_gatehouse.test");
    assert.ok(receiver.received.at(-1)!.signatureOk);

    assert.equal((await api("POST", "/hooks/test", { url: "http://169.254.169.254/" })).status, 400, "only configured handlers");
    assert.equal((await api("GET", "/hooks/deliveries/abc")).status, 400);
    assert.equal((await api("GET", "/hooks/deliveries/999999")).status, 404);
    assert.equal((await api("GET", "/hooks/deliveries?status=bogus")).status, 400);
    assert.equal((await api("GET", "/hooks/deliveries?limit=100000")).status, 400);
    assert.equal((await api("POST", `/hooks/deliveries/999999/replay`)).status, 404);
    const listed = await api("GET", "/hooks");
    assert.equal(listed.body.non_blocking_handlers[0].url, receiver.url);
  } finally {
    await server.close();
    await receiver.close();
  }
});
