// One storage contract, run against every backend: the same calls must mean the same thing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { backends } from "./backends.ts";
import type { IdpSession, OfflineGrant, Storage, User, AuthorizationCode } from "../../src/storage/ports.ts";

const user = (email: string, createdAt = 1000): User => ({
  id: randomUUID(), email, isVerified: false, isAnonymous: false, disabled: false, disabledReason: null, roles: [], createdAt, updatedAt: createdAt,
});
const hex = (): string => randomUUID().replace(/-/g, "");
const session = (userId: string, over: Partial<IdpSession> = {}): IdpSession => ({
  id: hex(), userId, tokenHash: "h", amr: ["pwd"], authenticatedAt: 1000, createdAt: 1000, lastAccessedAt: 1000, expiresAt: 9999, ip: "1.2.3.4", userAgent: "ua", revokedAt: null, ...over,
});
const grant = (userId: string, over: Partial<OfflineGrant> = {}): OfflineGrant => ({
  id: hex(), clientId: "c", userId, idpSessionId: null, scopes: ["openid", "offline_access"], amr: ["pwd"], authenticatedAt: 1000,
  tokenHash: "t1", createdAt: 1000, lastAccessedAt: 1000, expiresAt: 9999, ip: "1.2.3.4", userAgent: "ua", revokedAt: null, ...over,
});
const code = (userId: string, hash: string): AuthorizationCode => ({
  codeHash: hash, clientId: "c", userId, idpSessionId: hex(), redirectUri: "https://app/cb", scopes: ["openid"], nonce: "n", codeChallenge: "x".repeat(43),
  codeChallengeMethod: "S256", authenticatedAt: 1000, amr: ["pwd"], createdAt: 1000, expiresAt: 1300, usedAt: null, issuedGrantId: null,
});

for (const backend of backends) {
  describe(`storage contract: ${backend.name}`, () => {
    let s: Storage;
    let drop: () => Promise<void>;
    before(async () => {
      const opened = await backend.open();
      s = opened.storage;
      drop = opened.drop;
      await s.migrate();
      await s.migrate(); // idempotent
    });
    after(async () => {
      await s.close();
      await drop();
    });

    it("users: create, case-insensitive unique email, get, update, delete cascades", async () => {
      const u = (await s.users.create(user("Ann@Example.com"), "hash1"))!;
      assert.equal(u.email, "ann@example.com");
      assert.equal(await s.users.create(user("ANN@example.com"), "hash2"), null);
      assert.deepEqual(await s.users.get(u.id), u);
      assert.equal((await s.users.findByEmail(" ann@EXAMPLE.com "))!.id, u.id);
      assert.equal(await s.passwords.get(u.id), "hash1");
      const updated = (await s.users.update(u.id, { disabled: true, disabledReason: "x", roles: ["a", "b"], isVerified: true }, 2000))!;
      assert.deepEqual([updated.disabled, updated.disabledReason, updated.roles, updated.isVerified, updated.updatedAt], [true, "x", ["a", "b"], true, 2000]);
      assert.deepEqual(await s.users.get(u.id), updated);
      assert.equal(await s.users.update(randomUUID(), { disabled: true }, 1), null);
      await s.sessions.create(session(u.id));
      await s.offlineGrants.create(grant(u.id));
      assert.equal(await s.users.delete(u.id), true);
      assert.equal(await s.users.delete(u.id), false);
      assert.equal(await s.passwords.get(u.id), null);
      assert.deepEqual(await s.sessions.listByUser(u.id), []);
      assert.deepEqual(await s.offlineGrants.listByUser(u.id), []);
    });

    it("passwords: set overwrites", async () => {
      const u = (await s.users.create(user("pw@example.com"), null))!;
      assert.equal(await s.passwords.get(u.id), null);
      await s.passwords.set(u.id, "a", 1);
      await s.passwords.set(u.id, "b", 2);
      assert.equal(await s.passwords.get(u.id), "b");
    });

    it("sessions: touch only moves forward; revoke once; by user", async () => {
      const u = (await s.users.create(user("s@example.com"), null))!;
      const a = session(u.id);
      const b = session(u.id, { createdAt: 2000 });
      await s.sessions.create(a);
      await s.sessions.create(b);
      await s.sessions.touch(a.id, 1500, "5.6.7.8", "ua2");
      await s.sessions.touch(a.id, 1200, "9.9.9.9", "old");
      const got = (await s.sessions.get(a.id))!;
      assert.deepEqual([got.lastAccessedAt, got.ip, got.userAgent], [1500, "5.6.7.8", "ua2"]);
      assert.deepEqual((await s.sessions.listByUser(u.id)).map((x) => x.id), [b.id, a.id]);
      assert.equal(await s.sessions.revoke(a.id, 3000), true);
      assert.equal(await s.sessions.revoke(a.id, 3001), false);
      assert.equal((await s.sessions.get(a.id))!.revokedAt, 3000);
      assert.equal(await s.sessions.revokeByUser(u.id, 4000), 1);
      assert.equal(await s.sessions.get(hex()), null);
    });

    it("offline grants: touch, atomic rotation, revoke by id, session and user", async () => {
      const u = (await s.users.create(user("g@example.com"), null))!;
      const sid = hex();
      const g1 = grant(u.id, { idpSessionId: sid });
      const g2 = grant(u.id, { idpSessionId: sid, createdAt: 1100 });
      const g3 = grant(u.id, { createdAt: 1200 });
      for (const g of [g1, g2, g3]) await s.offlineGrants.create(g);
      assert.deepEqual(await s.offlineGrants.get(g1.id), g1);
      assert.equal(await s.offlineGrants.touch(g1.id, { at: 1500, ip: "ip", userAgent: "u" }), true);
      assert.equal(await s.offlineGrants.touch(g1.id, { at: 1600, ip: "ip", userAgent: "u", expectedTokenHash: "wrong", newTokenHash: "t2" }), false);
      assert.equal(await s.offlineGrants.touch(g1.id, { at: 1600, ip: "ip", userAgent: "u", expectedTokenHash: "t1", newTokenHash: "t2" }), true);
      const rotated = (await s.offlineGrants.get(g1.id))!;
      assert.deepEqual([rotated.tokenHash, rotated.lastAccessedAt], ["t2", 1600]);
      const racers = await Promise.all([1, 2, 3, 4, 5].map((i) => s.offlineGrants.touch(g1.id, { at: 1700, ip: "ip", userAgent: "u", expectedTokenHash: "t2", newTokenHash: `r${i}` })));
      assert.equal(racers.filter(Boolean).length, 1, "exactly one concurrent rotation wins");
      assert.equal(await s.offlineGrants.revokeBySession(sid, 2000), 2);
      assert.equal(await s.offlineGrants.touch(g1.id, { at: 2100, ip: "ip", userAgent: "u" }), false, "a revoked grant is not touched");
      assert.equal(await s.offlineGrants.revoke(g3.id, 2200), true);
      assert.equal(await s.offlineGrants.revoke(g3.id, 2201), false);
      assert.deepEqual((await s.offlineGrants.listByUser(u.id)).map((g) => g.id), [g3.id, g2.id, g1.id]);
      const g4 = grant(u.id);
      await s.offlineGrants.create(g4);
      assert.equal(await s.offlineGrants.revokeByUser(u.id, 3000), 1);
    });

    it("authorization codes: consume once (even concurrently), reused shows the issued grant, missing", async () => {
      const u = (await s.users.create(user("c@example.com"), null))!;
      await s.codes.create(code(u.id, "code-a"));
      const results = await Promise.all(Array.from({ length: 10 }, () => s.codes.consume("code-a", 1100)));
      assert.equal(results.filter((r) => r.kind === "ok").length, 1);
      assert.equal(results.filter((r) => r.kind === "reused").length, 9);
      await s.codes.recordIssuedGrant("code-a", "grant-1");
      const again = await s.codes.consume("code-a", 1200);
      assert.equal(again.kind, "reused");
      assert.equal(again.kind === "reused" && again.code.issuedGrantId, "grant-1");
      assert.deepEqual(await s.codes.consume("nope", 1), { kind: "missing" });
      await s.codes.create(code(u.id, "code-b"));
      assert.equal(await s.codes.deleteExpired(1301), 2);
      assert.deepEqual(await s.codes.consume("code-b", 1), { kind: "missing" });
    });

    it("auth flows and signing keys", async () => {
      await s.authFlows.create({ id: "f1", clientId: "c", params: { a: "1", state: "x y" }, createdAt: 1, expiresAt: 2 });
      assert.deepEqual(await s.authFlows.get("f1"), { id: "f1", clientId: "c", params: { a: "1", state: "x y" }, createdAt: 1, expiresAt: 2 });
      await s.authFlows.delete("f1");
      assert.equal(await s.authFlows.get("f1"), null);
      await s.signingKeys.insert({ kid: "k2", privateJwk: "{}", createdAt: 20, rotatedAt: null, retiredAt: null });
      await s.signingKeys.insert({ kid: "k1", privateJwk: "{}", createdAt: 10, rotatedAt: null, retiredAt: null });
      await s.signingKeys.markRotated("k1", 30);
      assert.deepEqual((await s.signingKeys.list()).map((k) => [k.kid, k.rotatedAt]), [["k1", 30], ["k2", null]]);
    });

    it("admin: user search with literal wildcards and cursor pages; keys; audit; client settings; revocation log", async () => {
      for (let i = 0; i < 5; i++) await s.users.create(user(`list${i}_x@example.org`, 5000 + i), null);
      await s.users.create(user("listAxx@example.org", 5000), null);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await s.userDirectory.list({ query: "list", cursor, limit: 2 });
        seen.push(...page.items.map((u) => u.email));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      assert.equal(seen.length, 6);
      assert.equal((await s.userDirectory.list({ query: "1_x", limit: 10 })).items.length, 1, "_ is literal");
      await s.adminKeys.create({ id: "k", name: "n", secretHash: "h", createdAt: 1, lastUsedAt: null, revokedAt: null });
      assert.equal((await s.adminKeys.get("k"))!.name, "n");
      assert.equal(await s.adminKeys.revoke("k", 2), true);
      assert.equal((await s.adminKeys.list())[0].revokedAt, 2);
      for (let i = 0; i < 3; i++) await s.auditLog.append({ at: i, actor: "a", action: `act${i}`, targetType: "user", targetId: i === 1 ? "u1" : "u0", details: { i } });
      const first = await s.auditLog.list({ limit: 2 });
      assert.deepEqual(first.items.map((e) => e.action), ["act2", "act1"]);
      assert.deepEqual((await s.auditLog.list({ limit: 2, cursor: first.nextCursor! })).items.map((e) => e.details), [{ i: 0 }]);
      assert.deepEqual((await s.auditLog.list({ limit: 10, targetId: "u1" })).items.map((e) => e.action), ["act1"]);
      await s.clientSettings.put("c", { access_token_lifetime_seconds: 600 }, 1);
      await s.clientSettings.put("c", { access_token_lifetime_seconds: 900 }, 2);
      assert.deepEqual(await s.clientSettings.all(), { c: { access_token_lifetime_seconds: 900 } });
      const base = await s.revocations.latestSeq();
      const a = await s.revocations.append({ kind: "grant", id: "o.1", at: 10, expiresAt: 100 });
      const b = await s.revocations.append({ kind: "user", id: "u", at: 11, expiresAt: 50 });
      assert.ok(b > a && a > base);
      assert.deepEqual((await s.revocations.since(a, 10)).map((e) => [e.kind, e.id]), [["user", "u"]]);
      assert.equal(await s.revocations.latestSeq(), b);
      assert.equal(await s.revocations.deleteExpired(60), 1);
      assert.deepEqual((await s.revocations.since(base, 10)).map((e) => e.id), ["o.1"]);
    });
  });
}
