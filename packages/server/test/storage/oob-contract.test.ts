// The oob_otp storage ports on every backend: codes (replace, guesses counted before the check,
// single use, link approval bound to the pending login, expiry) and OOB authenticators.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { backends, existingUser, suiteStorage } from "./backends.ts";
import type { OobCode } from "../../src/storage/oob-ports.ts";

const T = 1_700_000_000;
const code = (over: Partial<OobCode> = {}): OobCode => ({
  key: "k1", pendingId: "p1", codeHash: "h1", linkTokenHash: null, approvedAt: null, failedAttempts: 0, createdAt: T, expiresAt: T + 300, consumedAt: null, ...over,
});

for (const backend of backends) {
  describe(`oob_otp storage (${backend.name})`, () => {
    const s = suiteStorage(backend);

    it("a new code replaces the old; guesses are capped; a code is spent once", async () => {
      await s.oobCodes.put(code());
      await s.oobCodes.put(code({ codeHash: "h2", pendingId: "p2" }));
      assert.equal((await s.oobCodes.get("k1"))!.codeHash, "h2");
      const tries = await Promise.all(Array.from({ length: 8 }, () => s.oobCodes.reserveAttempt("k1", { cap: 5, at: T + 1 })));
      assert.equal(tries.filter(Boolean).length, 5, "parallel guesses never pass the cap");
      await s.oobCodes.put(code({ key: "k2" }));
      assert.equal(await s.oobCodes.consume("k2", { expectedHash: "wrong", at: T + 1 }), false);
      assert.equal(await s.oobCodes.consume("k2", { expectedHash: "h1", at: T + 1 }), true);
      assert.equal(await s.oobCodes.consume("k2", { expectedHash: "h1", at: T + 1 }), false);
      await s.oobCodes.put(code({ key: "k3" }));
      assert.equal(await s.oobCodes.consume("k3", { expectedHash: "h1", at: T + 301 }), false, "expired");
    });

    it("a link is approved once, and only its own pending login spends it", async () => {
      await s.oobCodes.put(code({ key: "k4", linkTokenHash: "lt" }));
      assert.equal(await s.oobCodes.consumeApproved("k4", { pendingId: "p1", at: T + 1 }), false, "not approved yet");
      assert.equal((await s.oobCodes.approveLink("lt", T + 1))?.key, "k4");
      assert.equal(await s.oobCodes.approveLink("lt", T + 2), null);
      assert.equal(await s.oobCodes.consumeApproved("k4", { pendingId: "other", at: T + 2 }), false);
      assert.equal(await s.oobCodes.consumeApproved("k4", { pendingId: "p1", at: T + 2 }), true);
      assert.equal(await s.oobCodes.consumeApproved("k4", { pendingId: "p1", at: T + 2 }), false);
      assert.equal(await s.oobCodes.deleteExpired(T + 10_000) >= 1, true);
    });

    it("OOB authenticators: one per (kind, channel, target), gone with the user", async () => {
      const u = await existingUser(s)();
      const a = { id: "a1", userId: u.id, kind: "secondary" as const, channel: "sms" as const, target: "+85261234567", createdAt: T };
      assert.equal(await s.oobAuthenticators.add(a), true);
      assert.equal(await s.oobAuthenticators.add({ ...a, id: "a2" }), false);
      assert.equal(await s.oobAuthenticators.add({ ...a, id: "a3", kind: "primary" }), true);
      assert.deepEqual((await s.oobAuthenticators.listByUser(u.id)).map((x) => x.id).sort(), ["a1", "a3"]);
      assert.equal(await s.oobAuthenticators.delete(u.id, "a1"), true);
      await s.cascades.deleteUser(u.id, { at: T, logUntil: T + 3600 });
      assert.deepEqual(await s.oobAuthenticators.listByUser(u.id), []);
    });
  });
}
