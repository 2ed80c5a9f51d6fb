// The passkey ports (storage/passkey-ports.ts) on every backend: a passkey is an identity and its
// credential, written together; the counter moves by compare-and-set; challenges are single use.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { backends, existingUser, suiteStorage } from "../storage/backends.ts";
import { T, skipPostgres } from "../storage/fixtures.ts";
import { passkeyRows } from "../../src/account/passkeys/ceremony.ts";

const credential = (over: Partial<{ credentialId: string; signCount: number }> = {}) => ({
  credentialId: over.credentialId ?? randomUUID().replace(/-/g, ""), publicKey: "pQECAyYgASFYIA", signCount: over.signCount ?? 0,
  transports: ["internal", "hybrid"], aaguid: "00000000-0000-0000-0000-000000000000",
});

for (const backend of backends) {
  describe(`passkey storage contract: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    const s = suiteStorage(backend);
    const user = existingUser(s);

    it("adds the identity and its credential together, and finds them", async () => {
      const u = await user();
      const rows = passkeyRows(u.id, "ann@example.com", credential(), T);
      assert.equal(await s.passkeys.add(rows.identity, rows.credential), true);
      assert.deepEqual(await s.passkeys.listByUser(u.id), [rows.credential]);
      assert.deepEqual(await s.passkeys.findByCredentialId(rows.credential.credentialId), rows.credential);
      const identity = (await s.identities.listByUser(u.id)).find((i) => i.type === "passkey");
      assert.deepEqual(identity, rows.identity);
      assert.equal(await s.passkeys.findByCredentialId("nobody"), null);
    });

    it("refuses a credential id registered already, writing nothing", async () => {
      const [a, b] = [await user(), await user()];
      const first = passkeyRows(a.id, "a", credential({ credentialId: "c-taken" }), T);
      assert.equal(await s.passkeys.add(first.identity, first.credential), true);
      const second = passkeyRows(b.id, "b", credential({ credentialId: "c-taken" }), T);
      assert.equal(await s.passkeys.add(second.identity, second.credential), false);
      assert.deepEqual((await s.identities.listByUser(b.id)).filter((i) => i.type === "passkey"), [], "the identity row was rolled back too");
      assert.deepEqual(await s.passkeys.listByUser(b.id), []);
    });

    it("moves the counter only from the value it was read at", async () => {
      const u = await user();
      const rows = passkeyRows(u.id, "x", credential({ signCount: 5 }), T);
      await s.passkeys.add(rows.identity, rows.credential);
      assert.equal(await s.passkeys.recordUse(rows.credential.id, { expectedCount: 5, newCount: 6, at: T + 1 }), true);
      // A second sign-in that read 5 too loses: the counter is 6 now.
      assert.equal(await s.passkeys.recordUse(rows.credential.id, { expectedCount: 5, newCount: 6, at: T + 2 }), false);
      const [after] = await s.passkeys.listByUser(u.id);
      assert.equal(after.signCount, 6);
      assert.equal(after.lastUsedAt, T + 1);
      assert.equal(after.updatedAt, T + 1);
    });

    it("removes only the user's own passkey identity, and its credential with it", async () => {
      const [u, other] = [await user(), await user({ email: `o.${randomUUID()}@example.com` })];
      const rows = passkeyRows(u.id, "x", credential(), T);
      await s.passkeys.add(rows.identity, rows.credential);
      assert.equal(await s.passkeys.remove(other.id, rows.identity.id), false, "another user's passkey");
      const [email] = await s.identities.listByUser(other.id);
      assert.equal(await s.passkeys.remove(other.id, email.id), false, "not a passkey identity");
      assert.equal((await s.identities.listByUser(other.id)).length, 1);
      assert.equal(await s.passkeys.remove(u.id, rows.identity.id), true);
      assert.deepEqual(await s.passkeys.listByUser(u.id), []);
      assert.equal(await s.passkeys.findByCredentialId(rows.credential.credentialId), null);
      assert.equal(await s.passkeys.remove(u.id, rows.identity.id), false);
    });

    it("deleting the identity (admin API) deletes the credential; deleting the user deletes both", async () => {
      const u = await user();
      const a = passkeyRows(u.id, "a", credential(), T);
      const b = passkeyRows(u.id, "b", credential(), T + 1);
      await s.passkeys.add(a.identity, a.credential);
      await s.passkeys.add(b.identity, b.credential);
      assert.equal(await s.identities.delete(a.identity.id, T + 2), true);
      assert.deepEqual((await s.passkeys.listByUser(u.id)).map((p) => p.id), [b.credential.id]);
      await s.cascades.deleteUser(u.id, { at: T + 3, logUntil: T + 60 });
      assert.equal(await s.passkeys.findByCredentialId(b.credential.credentialId), null);
    });

    it("gives a challenge out once, for its purpose, while it lives", async () => {
      const hash = randomUUID();
      await s.passkeyChallenges.put({ challengeHash: hash, purpose: "register", userId: null, createdAt: T, expiresAt: T + 300 });
      assert.equal(await s.passkeyChallenges.consume(hash, "authenticate", T + 1), null, "another purpose");
      assert.deepEqual(await s.passkeyChallenges.consume(hash, "register", T + 1), { challengeHash: hash, purpose: "register", userId: null, createdAt: T, expiresAt: T + 300 });
      assert.equal(await s.passkeyChallenges.consume(hash, "register", T + 1), null, "used");
      const late = randomUUID();
      await s.passkeyChallenges.put({ challengeHash: late, purpose: "signup", userId: "u1", createdAt: T, expiresAt: T + 300 });
      assert.equal(await s.passkeyChallenges.consume(late, "signup", T + 300), null, "expired");
    });

    it("takes a challenge out once under concurrent use", async () => {
      const hash = randomUUID();
      await s.passkeyChallenges.put({ challengeHash: hash, purpose: "authenticate", userId: null, createdAt: T, expiresAt: T + 300 });
      const results = await Promise.all(Array.from({ length: 8 }, () => s.passkeyChallenges.consume(hash, "authenticate", T + 1)));
      assert.equal(results.filter((r) => r !== null).length, 1);
    });

    it("sweeps expired challenges", async () => {
      await s.passkeyChallenges.put({ challengeHash: randomUUID(), purpose: "authenticate", userId: null, createdAt: T, expiresAt: T + 10 });
      assert.ok((await s.passkeyChallenges.deleteExpired(T + 11)) >= 1);
      assert.equal(await s.passkeyChallenges.deleteExpired(T + 11), 0);
    });
  });
}
