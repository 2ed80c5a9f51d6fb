// The bulk-import port and the password upgrade's conditional write, on both storage backends: a dry
// run writes nothing; a batch is written whole; what exists is never overwritten; an email or a login
// ID that belongs to another user is reported, not taken.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { backends, suiteStorage, existingUser } from "../storage/backends.ts";
import { newGrant, newUser, skipPostgres, T } from "../storage/fixtures.ts";
import { loginIdIdentity } from "../../src/domain/identity.ts";
import type { ImportedUser } from "../../src/storage/import-ports.ts";

const imported = (over: Partial<ImportedUser["user"]> = {}, login = `${randomUUID()}@example.test`): ImportedUser => {
  const user = newUser({ email: login, ...over });
  return {
    user, passwordHash: "$bcrypt-sha512$$2a$10$qQybX3kAJNT2YqYRVmbfjO5EhgWm6vV4cWmXo2ZATAuBmCyJM2fKu",
    identities: [loginIdIdentity({ id: randomUUID(), userId: user.id, key: "email", type: "email", loginId: login, originalLoginId: login.toUpperCase(), at: T })],
    totp: { secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", createdAt: T }, recoveryCodes: [{ codeHash: "h1", createdAt: T, usedAt: null }], roleKeys: [], groupKeys: [], passkeys: [], deviceKeys: [], deletion: null,
  };
};

for (const backend of backends) {
  describe(`import store: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    const s = suiteStorage(backend);

    it("a dry run reports what it would write and writes nothing", async () => {
      const u = imported();
      const r = await s.importer.writeUsers([u], { dryRun: true });
      assert.deepEqual(r.written, [u.user.id]);
      assert.equal(await s.users.get(u.user.id), null);
      assert.equal(await s.identities.findByLoginId("email", u.identities[0].loginId!), null);
    });

    it("writes users whole, skips those present, and reports a taken email instead of overwriting", async () => {
      const owner = await existingUser(s)();
      const a = imported();
      const clash = imported({}, owner.email!);
      const first = await s.importer.writeUsers([a, clash], { dryRun: false });
      assert.deepEqual(first.written, [a.user.id]);
      assert.match(first.skipped[0].reason, /belongs to another Gatehouse user/);
      assert.equal((await s.totp.get(a.user.id))?.confirmedAt, T);
      assert.equal((await s.identities.listByUser(a.user.id))[0].originalLoginId, a.identities[0].originalLoginId);
      const again = await s.importer.writeUsers([{ ...a, passwordHash: "$2a$10$changed" }], { dryRun: false });
      assert.deepEqual(again.skipped, [{ id: a.user.id, reason: "already imported" }]);
      assert.equal(await s.passwords.get(a.user.id), a.passwordHash, "nothing overwritten");
    });

    it("writes grants only for users present, once", async () => {
      const u = await existingUser(s)();
      const g = newGrant(u.id, { id: randomUUID().replaceAll("-", "") });
      const orphan = newGrant(randomUUID(), { id: randomUUID().replaceAll("-", "") });
      const r = await s.importer.writeGrants([g, orphan], { dryRun: false });
      assert.deepEqual(r.written, [g.id]);
      assert.match(r.skipped[0].reason, /was not imported/);
      assert.equal((await s.importer.writeGrants([g], { dryRun: false })).skipped[0].reason, "already imported");
      assert.equal((await s.offlineGrants.get(g.id))?.tokenHash, g.tokenHash);
    });

    it("takes a grant's newer token from a later run, unless it was rotated or revoked here", async () => {
      const u = await existingUser(s)();
      const g = newGrant(u.id, { id: randomUUID().replaceAll("-", "") });
      await s.importer.writeGrants([g], { dryRun: false });
      const later = { ...g, tokenHash: "newer-hash", lastAccessedAt: g.lastAccessedAt + 60, expiresAt: g.expiresAt + 60 };
      assert.deepEqual((await s.importer.writeGrants([later], { dryRun: false })).updated, [g.id]);
      assert.equal((await s.offlineGrants.get(g.id))?.tokenHash, "newer-hash");
      assert.deepEqual((await s.importer.writeGrants([later], { dryRun: false })).updated, [], "the same record again changes nothing");
      await s.offlineGrants.rotate(g.id, { at: T + 100, ip: "x", userAgent: "y", expectedTokenHash: "newer-hash", newTokenHash: "ours", salt: "s" });
      const stale = { ...later, tokenHash: "authgear-again", lastAccessedAt: later.lastAccessedAt + 600 };
      assert.deepEqual((await s.importer.writeGrants([stale], { dryRun: false })).updated, []);
      assert.equal((await s.offlineGrants.get(g.id))?.tokenHash, "ours");
    });

    it("writes passkeys, device keys and a scheduled deletion with the user (none in a dry run); a key bound to another user is reported, not taken", async () => {
      const u = imported({ disabled: true });
      const withDevices = (x: ImportedUser, keyId: string, credentialId: string): ImportedUser => {
        const identityId = randomUUID();
        return {
          ...x,
          passkeys: [{
            identity: { id: identityId, userId: x.user.id, type: "passkey", loginIdKey: null, loginIdType: null, loginId: null, originalLoginId: null, providerAlias: null, providerSubject: null, claims: { display_name: "me" }, createdAt: T, updatedAt: T },
            credential: { id: randomUUID(), userId: x.user.id, identityId, credentialId, publicKey: "pQE", signCount: 7, transports: ["internal"], aaguid: "00000000-0000-0000-0000-000000000000", createdAt: T, updatedAt: T, lastUsedAt: null },
          }],
          deviceKeys: [{ id: randomUUID(), userId: x.user.id, type: "biometric", keyId, jwk: { kty: "RSA", n: "AQAB", e: "AQAB", kid: keyId }, deviceInfo: { ios: {} }, createdAt: T, lastUsedAt: T }],
          deletion: { deleteAt: T + 86400, scheduledAt: T, byAdmin: false, reason: "end user request" },
        };
      };
      const keyId = randomUUID();
      const credentialId = randomUUID().replaceAll("-", "");
      const a = withDevices(u, keyId, credentialId);
      await s.importer.writeUsers([a], { dryRun: true });
      assert.equal(await s.passkeys.findByCredentialId(credentialId), null);
      assert.equal(await s.deviceKeys.findByKeyId("biometric", keyId), null);
      assert.equal(await s.accountDeletions.get(u.user.id), null);
      assert.deepEqual((await s.importer.writeUsers([a], { dryRun: false })).written, [u.user.id]);
      assert.equal((await s.passkeys.findByCredentialId(credentialId))?.signCount, 7);
      assert.equal((await s.identities.listByUser(u.user.id)).filter((i) => i.type === "passkey").length, 1);
      assert.equal((await s.deviceKeys.findByKeyId("biometric", keyId))?.userId, u.user.id);
      assert.deepEqual(await s.accountDeletions.get(u.user.id), { userId: u.user.id, ...a.deletion });
      // Another user whose key and passkey are someone else's: imported without them, and told.
      const b = withDevices(imported(), keyId, credentialId);
      const r = await s.importer.writeUsers([b], { dryRun: false });
      assert.deepEqual(r.written, [b.user.id]);
      assert.deepEqual(r.skipped.map((x) => x.reason.split(" ").slice(0, 2).join(" ")).sort(), ["biometric key", "passkey credential"]);
      assert.deepEqual(await s.deviceKeys.listByUser(b.user.id), []);
      assert.deepEqual(await s.passkeys.listByUser(b.user.id), []);
      assert.deepEqual((await s.identities.listByUser(b.user.id)).map((i) => i.type), ["login_id"], "no passkey identity without its credential");
    });

    it("replaces a password hash only while it is still the one verified", async () => {
      const u = await existingUser(s)();
      await s.passwords.set(u.id, "old", T);
      assert.equal(await s.passwords.replace(u.id, "other", "new", T + 1), false);
      assert.equal(await s.passwords.get(u.id), "old");
      assert.equal(await s.passwords.replace(u.id, "old", "new", T + 1), true);
      assert.equal(await s.passwords.get(u.id), "new");
    });
  });
}
