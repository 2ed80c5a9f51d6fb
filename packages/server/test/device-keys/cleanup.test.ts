// identity.x_anonymous.cleanup_inactive_after_days: the sweeper deletes anonymous users nobody has
// used for that long, and leaves active and promoted ones; expired challenges go too.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import type { TestServer } from "../support/server.ts";
import { sweepExpired } from "../../src/maintenance/sweeper.ts";
import { Device, challenge } from "./device.ts";
import { NATIVE_CLIENT, postToken, startNativeServer } from "./fixture.ts";

describe("anonymous user cleanup", () => {
  let server: TestServer;
  before(async () => { server = await startNativeServer({ config: { identity: { x_anonymous: { cleanup_inactive_after_days: 30 } } } }); });
  after(async () => { await server.close(); });

  async function anonymous(device: Device): Promise<string> {
    const res = await postToken(server, { grant_type: "urn:authgear:params:oauth:grant-type:anonymous-request", client_id: NATIVE_CLIENT.client_id, jwt: device.anonymousJwt(await challenge(server.url, "anonymous_request"), "auth", { now: server.ctx.now() }) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return String(JSON.parse(Buffer.from(String(res.body.access_token).split(".")[1], "base64url").toString()).sub);
  }

  it("deletes anonymous users unseen for the configured days, keeps the active one and normal users", async () => {
    const idle = await anonymous(new Device());
    const activeDevice = new Device();
    const active = await anonymous(activeDevice);
    const normal = await server.createUser("kept@example.com", "correct horse battery staple");
    await challenge(server.url, "anonymous_request");
    server.advance(31 * 86400);
    try {
      activeDevice.anonymousKeyKnown = true;
      assert.equal(await anonymous(activeDevice), active);
      const counts = await sweepExpired(server.ctx);
      assert.equal(counts.anonymousUsers, 1);
      assert.ok(counts.oneTimeTokens >= 1);
      assert.equal(await server.ctx.storage.users.get(idle), null);
      assert.notEqual(await server.ctx.storage.users.get(active), null);
      assert.notEqual(await server.ctx.storage.users.get(normal), null);
    } finally {
      server.advance(-31 * 86400);
    }
  });
});
