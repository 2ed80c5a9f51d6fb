// The contract for the revocation cascades (storage/ports.ts RevocationCascadeStore), run against every
// backend in backends.ts like contract.test.ts: each cascade changes its rows and writes the
// revocation-log events together, and logs only what was live.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { backends, existingUser, suiteStorage } from "./backends.ts";
import { T, id, newCode, newGrant, newSession, skipPostgres } from "./fixtures.ts";

for (const backend of backends) {
  describe(`cascade storage contract: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    const s = suiteStorage(backend);
    const user = existingUser(s);

    describe("revocation cascades", () => {
      const o = { at: T + 5, logUntil: T + 900 };
      /** What the log holds for these ids (kind and id), in log order. */
      const logged = async (after: number): Promise<string[]> => (await s.revocations.since(after, 10_000)).map((e) => `${e.kind} ${e.id}`);
      const sids = (r: { kind: string; id: string }[]): string[] => r.map((e) => `${e.kind} ${e.id}`).sort();
      /** A user with two sessions, a grant born from each, and one grant of no session. */
      const family = async () => {
        const u = await user();
        const [s1, s2] = [newSession(u.id, { createdAt: T + 1 }), newSession(u.id, { createdAt: T + 2 })];
        const [g1, g2, g3] = [newGrant(u.id, { idpSessionId: s1.id }), newGrant(u.id, { idpSessionId: s2.id }), newGrant(u.id)];
        for (const x of [s1, s2]) await s.sessions.create(x);
        for (const g of [g1, g2, g3]) await s.offlineGrants.create(g);
        return { u, s1, s2, g1, g2, g3 };
      };
      const revokedAt = async (f: Awaited<ReturnType<typeof family>>): Promise<(number | null | "gone")[]> => [
        ...(await Promise.all([f.s1, f.s2].map(async (x) => s.sessions.get(x.id)))),
        ...(await Promise.all([f.g1, f.g2, f.g3].map(async (x) => s.offlineGrants.get(x.id)))),
      ].map((row) => (row ? row.revokedAt : "gone"));

      it("revokeByGrant ends one grant and logs it once; a revoked grant can neither be touched nor rotated", async () => {
        const f = await family();
        const seq = await s.revocations.latestSeq();
        assert.deepEqual(sids(await s.cascades.revokeByGrant(f.g3.id, o)), [`grant o.${f.g3.id}`]);
        assert.deepEqual(await s.cascades.revokeByGrant(f.g3.id, { ...o, at: T + 6 }), []);
        assert.deepEqual(await s.cascades.revokeByGrant(id("missing"), o), []);
        assert.deepEqual(await revokedAt(f), [null, null, null, null, T + 5]);
        assert.deepEqual(await logged(seq), [`grant o.${f.g3.id}`]);
        const [event] = await s.revocations.since(seq, 1);
        assert.deepEqual([event.at, event.expiresAt], [T + 5, T + 900]);
        assert.equal(await s.offlineGrants.touch(f.g3.id, { at: T + 7, ip: "", userAgent: "" }), false);
        assert.equal(await s.offlineGrants.rotate(f.g3.id, { at: T + 7, ip: "", userAgent: "", expectedTokenHash: f.g3.tokenHash, newTokenHash: "x", salt: "y" }), false);
      });

      it("revokeBySession ends the session and the grants born from it", async () => {
        const f = await family();
        const seq = await s.revocations.latestSeq();
        assert.deepEqual(sids(await s.cascades.revokeBySession(f.s1.id, o)), [`grant o.${f.g1.id}`, `session i.${f.s1.id}`]);
        assert.deepEqual(await s.cascades.revokeBySession(f.s1.id, o), []);
        assert.deepEqual(await revokedAt(f), [T + 5, null, T + 5, null, null]);
        assert.deepEqual((await logged(seq)).sort(), [`grant o.${f.g1.id}`, `session i.${f.s1.id}`]);
      });

      it("revokeByUser ends all of one user's sessions and grants, logging only what was live", async () => {
        const f = await family();
        const other = await family();
        await s.cascades.revokeByGrant(f.g3.id, { ...o, at: T + 1 });
        const seq = await s.revocations.latestSeq();
        const revoked = await s.cascades.revokeByUser(f.u.id, o);
        assert.deepEqual(sids(revoked), [`grant o.${f.g1.id}`, `grant o.${f.g2.id}`, `session i.${f.s1.id}`, `session i.${f.s2.id}`].sort());
        assert.deepEqual(await revokedAt(f), [T + 5, T + 5, T + 5, T + 5, T + 1]);
        assert.deepEqual(await revokedAt(other), [null, null, null, null, null]);
        assert.deepEqual((await logged(seq)).sort(), sids(revoked));
        assert.deepEqual(await s.cascades.revokeByUser(f.u.id, o), []);
      });

      it("revokeByUser with exceptSessionId keeps that session and the grants born from it", async () => {
        const f = await family();
        const revoked = await s.cascades.revokeByUser(f.u.id, { ...o, exceptSessionId: f.s1.id });
        assert.deepEqual(sids(revoked), [`grant o.${f.g2.id}`, `grant o.${f.g3.id}`, `session i.${f.s2.id}`].sort());
        assert.deepEqual(await revokedAt(f), [null, T + 5, null, T + 5, T + 5]);
      });

      it("resetPassword sets the password and ends everything, together", async () => {
        const f = await family();
        await s.passwords.set(f.u.id, "old-hash", T);
        assert.equal((await s.cascades.resetPassword(f.u.id, "new-hash", o)).length, 5);
        assert.equal(await s.passwords.get(f.u.id), "new-hash");
        assert.deepEqual(await revokedAt(f), [T + 5, T + 5, T + 5, T + 5, T + 5]);
      });

      it("disableUser disables and logs the user in one go, keeping the sessions for when it is enabled", async () => {
        const f = await family();
        const seq = await s.revocations.latestSeq();
        const r = await s.cascades.disableUser(f.u.id, "fraud", o);
        assert.deepEqual(r!.user, { ...f.u, disabled: true, disabledReason: "fraud", updatedAt: T + 5 });
        assert.deepEqual(await s.users.get(f.u.id), r!.user);
        assert.deepEqual(r!.revoked, [{ kind: "user", id: f.u.id }]);
        assert.deepEqual(await logged(seq), [`user ${f.u.id}`]);
        assert.deepEqual(await revokedAt(f), [null, null, null, null, null]);
        assert.equal(await s.cascades.disableUser(id("missing"), null, o), null);
      });

      it("deleteUser removes the user with its password, sessions, grants and codes, and logs what ended", async () => {
        const f = await family();
        await s.passwords.set(f.u.id, "hash", T);
        const code = newCode(f.u.id);
        await s.codes.create(code);
        const seq = await s.revocations.latestSeq();
        const revoked = await s.cascades.deleteUser(f.u.id, o);
        assert.equal(revoked!.length, 6);
        assert.deepEqual((await logged(seq)).sort(), sids(revoked!));
        assert.equal(await s.users.get(f.u.id), null);
        assert.equal(await s.passwords.get(f.u.id), null);
        assert.deepEqual(await revokedAt(f), ["gone", "gone", "gone", "gone", "gone"]);
        assert.deepEqual(await s.codes.consume(code.codeHash, { at: T, issuedGrantId: null }), { kind: "missing" });
        assert.equal(await s.cascades.deleteUser(f.u.id, o), null);
      });
    });
  });
}
