// Stream slots of the revocation feed: a failed catch-up read holds none, one IP cannot take them all,
// and verifiers with an admin key still get one when anonymous subscribers have filled their share.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Agent, get } from "node:http";
import { startTestServer, type TestServer } from "../support/server.ts";
import { createAdminKey } from "../../src/admin/keys.ts";
import { STREAM_LIMITS } from "../../src/revocation-feed/endpoints.ts";
import { StorageUnavailableError } from "../../src/storage/errors.ts";

async function open(url: string, headers: Record<string, string> = {}): Promise<{ status: number; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(`${url}/_api/revocations/stream`, { signal: controller.signal, headers });
  if (res.status === 200) await res.body!.getReader().read();
  else await res.text();
  return { status: res.status, close: () => controller.abort() };
}

describe("revocation feed stream slots", () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it("frees nothing it never took: streams opened during a database outage leave every slot free", async () => {
    const since = s.ctx.storage.revocations.since;
    // The outage: every read of the log fails as a cut connection does.
    s.ctx.storage.revocations.since = async () => { throw new StorageUnavailableError("connection terminated"); };
    try {
      const during = await Promise.all(Array.from({ length: 30 }, () => open(s.url)));
      assert.ok(during.every((r) => r.status === 503), JSON.stringify(during.map((r) => r.status)));
    } finally {
      s.ctx.storage.revocations.since = since;
    }
    const afterwards = await open(s.url);
    assert.equal(afterwards.status, 200);
    afterwards.close();
  });

  it("caps streams per IP, and lets a verifier with an admin key in beyond the cap", async () => {
    const mine = [];
    for (let i = 0; i < STREAM_LIMITS.perIp; i++) mine.push(await open(s.url));
    assert.ok(mine.every((r) => r.status === 200));
    const over = await open(s.url);
    assert.equal(over.status, 429);
    const { key } = await createAdminKey(s.ctx, "verifier");
    const keyed = await open(s.url, { authorization: `Bearer ${key}` });
    assert.equal(keyed.status, 200);
    keyed.close();
    // Closing a stream gives its slot back.
    mine.pop()!.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await open(s.url);
    assert.equal(again.status, 200);
    again.close();
    for (const r of mine) r.close();
  });
});

describe("closing with feed followers", () => {
  it("refuses new streams once closing, so a follower reconnecting on a kept-alive socket cannot hold the server open", async () => {
    const s = await startTestServer();
    // One kept-alive socket, as a follower's HTTP agent has: when the server ends the stream, the
    // follower asks again at once on the same socket.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const statuses: number[] = [];
    const follow = (): Promise<void> => new Promise((resolve) => {
      const req = get(`${s.url}/_api/revocations/stream`, { agent }, (res) => {
        statuses.push(res.statusCode ?? 0);
        res.resume();
        res.once("end", () => { if (statuses.length < 5) follow().then(resolve); else resolve(); });
        res.once("close", () => resolve());
      });
      req.once("error", () => resolve());
    });
    const following = follow();
    await new Promise((r) => setTimeout(r, 200));
    const closed = s.close();
    try {
      await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error("the server did not close within 5 s")), 5000))]);
    } finally {
      agent.destroy();
      await following;
    }
    assert.equal(statuses[0], 200);
    assert.ok(statuses.slice(1).every((code) => code === 503), JSON.stringify(statuses));
  });
});
