// The device-key ports (storage/device-key-ports.ts) on every backend: keys bound once per kid,
// one-time tokens consumed exactly once even when raced, promotion, and stale anonymous users.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { backends, existingUser, suiteStorage } from "./backends.ts";

for (const backend of backends) {
  describe(`device-key storage (${backend.name})`, () => {
    const s = suiteStorage(backend);

    it("binds a kid once per type, lists and deletes a user's keys", async () => {
      const user = await existingUser(s)({ isAnonymous: true, email: null });
      const key = { id: randomUUID(), userId: user.id, type: "anonymous" as const, keyId: "kid-12345678", jwk: { kty: "RSA", n: "AQAB", e: "AQAB" }, deviceInfo: {}, createdAt: 10, lastUsedAt: 10 };
      assert.equal(await s.deviceKeys.create(key), true);
      assert.equal(await s.deviceKeys.create({ ...key, id: randomUUID() }), false);
      assert.equal(await s.deviceKeys.create({ ...key, id: randomUUID(), type: "biometric", deviceInfo: { model: "x" } }), true);
      // Web anonymous users have no key: any number of null kids.
      assert.equal(await s.deviceKeys.create({ ...key, id: randomUUID(), keyId: null, jwk: null }), true);
      assert.equal(await s.deviceKeys.create({ ...key, id: randomUUID(), keyId: null, jwk: null }), true);
      assert.deepEqual((await s.deviceKeys.findByKeyId("anonymous", "kid-12345678"))?.jwk, key.jwk);
      assert.equal((await s.deviceKeys.listByUser(user.id)).length, 4);
      const other = await existingUser(s)();
      assert.equal(await s.deviceKeys.delete(other.id, key.id), false);
      assert.equal(await s.deviceKeys.delete(user.id, key.id), true);
      assert.equal(await s.deviceKeys.findByKeyId("anonymous", "kid-12345678"), null);
    });

    it("promotes once: the user stops being anonymous and loses its anonymous keys, not its biometric ones", async () => {
      const user = await existingUser(s)({ isAnonymous: true, email: null });
      const base = { userId: user.id, jwk: null, deviceInfo: {}, createdAt: 1, lastUsedAt: 1 };
      await s.deviceKeys.create({ ...base, id: randomUUID(), type: "anonymous", keyId: `a-${randomUUID()}` });
      await s.deviceKeys.create({ ...base, id: randomUUID(), type: "biometric", keyId: `b-${randomUUID()}` });
      assert.equal(await s.deviceKeys.promote(user.id, 50), true);
      assert.equal(await s.deviceKeys.promote(user.id, 51), false);
      assert.equal((await s.users.get(user.id))?.isAnonymous, false);
      assert.deepEqual((await s.deviceKeys.listByUser(user.id)).map((k) => k.type), ["biometric"]);
    });

    it("consumes a one-time token exactly once, even when raced, and never after it expires", async () => {
      await s.oneTimeTokens.create({ tokenHash: "h1", purpose: "anonymous_request", userId: null, expiresAt: 100 });
      const results = await Promise.all(Array.from({ length: 8 }, () => s.oneTimeTokens.consume("h1", 50)));
      assert.equal(results.filter((r) => r !== null).length, 1);
      assert.equal(results.find((r) => r !== null)?.purpose, "anonymous_request");
      await s.oneTimeTokens.create({ tokenHash: "h2", purpose: "biometric_request", userId: null, expiresAt: 100 });
      assert.equal(await s.oneTimeTokens.consume("h2", 100), null);
      assert.equal(await s.oneTimeTokens.consume("h2", 50), null);
      await s.oneTimeTokens.create({ tokenHash: "h3", purpose: "anonymous_request", userId: null, expiresAt: 10 });
      assert.equal(await s.oneTimeTokens.deleteExpired(20), 1);
    });

    it("finds anonymous users not seen since a time", async () => {
      const stale = await existingUser(s)({ isAnonymous: true, email: null, createdAt: 5, updatedAt: 5 });
      const used = await existingUser(s)({ isAnonymous: true, email: null, createdAt: 5, updatedAt: 5 });
      await s.deviceKeys.create({ id: randomUUID(), userId: used.id, type: "anonymous", keyId: `u-${randomUUID()}`, jwk: null, deviceInfo: {}, createdAt: 5, lastUsedAt: 900 });
      const found = await s.deviceKeys.staleAnonymousUsers(500, 100);
      assert.ok(found.includes(stale.id));
      assert.ok(!found.includes(used.id));
    });
  });
}
