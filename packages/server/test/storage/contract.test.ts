// One contract suite for the core storage ports (the admin ports have admin-contract.test.ts), run
// against every backend in backends.ts: SQLite (a
// temp file) and PostgreSQL (a fresh schema per run, dropped afterwards; a missing server fails the
// run unless GATEHOUSE_SKIP_POSTGRES=1). Every case makes its own ids, so cases do not depend on
// each other; the few that read global lists filter them down to what they created.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { openStorage } from "../../src/storage/open.ts";
import type { Storage, User } from "../../src/storage/ports.ts";
import { backends } from "./backends.ts";
import { T, id, newCode, newGrant, newSession, newUser, skipPostgres } from "./fixtures.ts";

for (const backend of backends) {
  describe(`storage contract: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    let s: Storage;
    let url: string;
    let drop: () => Promise<void>;
    /**
     * Without this, a pooled backend opens connections one by one as the racers arrive, which
     * serialises them and lets a check-then-act implementation pass the concurrency cases.
     */
    const warmPool = async (): Promise<void> => void (await Promise.all(Array.from({ length: 10 }, () => s.users.get("warm-up"))));
    /** A user that exists, for rows that reference users. */
    const user = async (over: Partial<User> = {}): Promise<User> => (await s.users.create(newUser(over), null))!;

    before(async () => {
      ({ storage: s, url, drop } = await backend.open());
      // Two nodes migrating a fresh database at once: the loser must wait, then find nothing to do.
      const other = await openStorage(url);
      await Promise.all([s.migrate(), other.migrate()]);
      await other.close();
    });
    after(async () => {
      await s?.close();
      await drop?.();
    });

    it("migrate() is idempotent", async () => {
      const u = await user();
      await s.migrate();
      await s.migrate();
      assert.deepEqual(await s.users.get(u.id), u);
    });

    describe("users", () => {
      it("creates with a normalised email and a password, in one go", async () => {
        const u = newUser({ email: `  Alice.${randomUUID()}@Example.COM `, roles: ["admin"], isAnonymous: true });
        const created = await s.users.create(u, "hash-1");
        assert.deepEqual(created, { ...u, email: u.email!.trim().toLowerCase() });
        assert.deepEqual(await s.users.get(u.id), created);
        assert.equal(await s.passwords.get(u.id), "hash-1");
      });

      it("refuses a taken email, case-insensitively, and leaves nothing behind", async () => {
        const email = `Bob.${randomUUID()}@example.com`;
        assert.ok(await s.users.create(newUser({ email }), null));
        const dup = newUser({ email: ` ${email.toUpperCase()}` });
        assert.equal(await s.users.create(dup, "hash-2"), null);
        assert.equal(await s.users.get(dup.id), null);
        assert.equal(await s.passwords.get(dup.id), null);
      });

      it("of 5 concurrent sign-ups with one email exactly one gets the user; the rest get null", async () => {
        const email = `race.${randomUUID()}@example.com`;
        await warmPool();
        const made = await Promise.all([1, 2, 3, 4, 5].map(() => s.users.create(newUser({ email }), "hash")));
        assert.equal(made.filter((u) => u !== null).length, 1);
      });

      it("a taken id is an error, not a taken email", async () => {
        const u = await user();
        await assert.rejects(s.users.create(newUser({ id: u.id }), null));
      });

      it("finds by email whatever the case; get and findByEmail miss cleanly", async () => {
        const u = await user();
        assert.deepEqual(await s.users.findByEmail(` ${u.email!.toUpperCase()} `), u);
        assert.equal(await s.users.findByEmail(`nobody-${randomUUID()}@example.com`), null);
        assert.equal(await s.users.get(id("missing")), null);
      });

      it("updates a patch, keeping the other fields", async () => {
        const u = await user();
        const email = `New.${randomUUID()}@Example.com`;
        const patched = await s.users.update(u.id, { isVerified: true, disabled: true, disabledReason: "abuse", roles: ["a", "b"], email }, T + 5);
        const want = { ...u, isVerified: true, disabled: true, disabledReason: "abuse", roles: ["a", "b"], email: email.toLowerCase(), updatedAt: T + 5 };
        assert.deepEqual(patched, want);
        assert.deepEqual(await s.users.get(u.id), want);
        assert.deepEqual(await s.users.update(u.id, { disabled: false, disabledReason: null }, T + 6), { ...want, disabled: false, disabledReason: null, updatedAt: T + 6 });
        assert.equal(await s.users.update(id("missing"), { isVerified: true }, T), null);
      });

      it("refuses to update to another user's email", async () => {
        const [a, b] = [await user(), await user()];
        await assert.rejects(s.users.update(b.id, { email: a.email!.toUpperCase() }, T + 1));
        assert.equal((await s.users.get(b.id))!.email, b.email);
      });

    });

    it("passwords: get, set, overwrite", async () => {
      const u = await user();
      assert.equal(await s.passwords.get(u.id), null);
      await s.passwords.set(u.id, "h1", T);
      assert.equal(await s.passwords.get(u.id), "h1");
      await s.passwords.set(u.id, "h2", T + 1);
      assert.equal(await s.passwords.get(u.id), "h2");
    });

    describe("sessions", () => {
      it("create and get round-trip", async () => {
        const u = await user();
        const sess = newSession(u.id, { amr: ["pwd", "otp"] });
        await s.sessions.create(sess);
        assert.deepEqual(await s.sessions.get(sess.id), sess);
        assert.equal(await s.sessions.get(id("missing")), null);
      });

      it("touch only moves forward", async () => {
        const u = await user();
        const sess = newSession(u.id);
        await s.sessions.create(sess);
        await s.sessions.touch(sess.id, T + 10, "198.51.100.7", "agent-2");
        const moved = { ...sess, lastAccessedAt: T + 10, ip: "198.51.100.7", userAgent: "agent-2" };
        assert.deepEqual(await s.sessions.get(sess.id), moved);
        await s.sessions.touch(sess.id, T + 5, "203.0.113.9", "agent-old");
        await s.sessions.touch(sess.id, T + 10, "203.0.113.9", "agent-same");
        assert.deepEqual(await s.sessions.get(sess.id), moved);
      });


      it("listByUser is newest first, the user's only", async () => {
        const u = await user();
        const other = await user();
        const [a, b, c] = [1, 3, 2].map((n) => newSession(u.id, { createdAt: T + n }));
        for (const x of [a, b, c]) await s.sessions.create(x);
        await s.sessions.create(newSession(other.id));
        assert.deepEqual((await s.sessions.listByUser(u.id)).map((x) => x.id), [b.id, c.id, a.id]);
        assert.deepEqual(await s.sessions.listByUser(id("missing")), []);
      });
    });

    describe("offline grants", () => {
      it("create and get round-trip", async () => {
        const u = await user();
        const g = newGrant(u.id, { idpSessionId: id("s") });
        await s.offlineGrants.create(g);
        assert.deepEqual(await s.offlineGrants.get(g.id), g);
        const bare = newGrant(u.id);
        await s.offlineGrants.create(bare);
        assert.deepEqual(await s.offlineGrants.get(bare.id), bare);
        assert.equal(await s.offlineGrants.get(id("missing")), null);
      });

      it("getWithUser reads the grant and its current user together", async () => {
        const u = await user();
        const g = newGrant(u.id, { idpSessionId: id("s") });
        await s.offlineGrants.create(g);
        assert.deepEqual(await s.offlineGrants.getWithUser(g.id), { grant: g, user: await s.users.get(u.id) });
        const disabled = await s.users.update(u.id, { disabled: true, disabledReason: "spam", roles: ["a"] }, T + 3);
        assert.deepEqual(await s.offlineGrants.getWithUser(g.id), { grant: g, user: disabled });
        assert.equal(await s.offlineGrants.getWithUser(id("missing")), null);
        await s.cascades.deleteUser(u.id, { at: T + 4, logUntil: T + 9 });
        assert.equal(await s.offlineGrants.getWithUser(g.id), null);
      });

      it("touch records a use", async () => {
        const u = await user();
        const g = newGrant(u.id);
        await s.offlineGrants.create(g);
        assert.equal(await s.offlineGrants.touch(g.id, { at: T + 1, ip: "10.0.0.1", userAgent: "ua-1" }), true);
        assert.deepEqual(await s.offlineGrants.get(g.id), { ...g, lastAccessedAt: T + 1, ip: "10.0.0.1", userAgent: "ua-1" });
        assert.equal(await s.offlineGrants.touch(id("missing"), { at: T, ip: "", userAgent: "" }), false);
      });

      it("rotate needs the expected hash, and keeps the replaced hash, when, and the salt", async () => {
        const u = await user();
        const g = newGrant(u.id);
        await s.offlineGrants.create(g);
        const rotate = (at: number, expectedTokenHash: string, newTokenHash: string) =>
          s.offlineGrants.rotate(g.id, { at, ip: `10.0.0.${at - T}`, userAgent: `ua-${at - T}`, expectedTokenHash, newTokenHash, salt: `salt-${at - T}` });
        assert.equal(await rotate(T + 2, "wrong", "next"), false);
        assert.deepEqual(await s.offlineGrants.get(g.id), g);
        assert.equal(await rotate(T + 3, g.tokenHash, "next"), true);
        const once = { ...g, tokenHash: "next", lastAccessedAt: T + 3, ip: "10.0.0.3", userAgent: "ua-3", previousTokenHash: g.tokenHash, rotatedAt: T + 3, rotationSalt: "salt-3" };
        assert.deepEqual(await s.offlineGrants.get(g.id), once);
        assert.deepEqual((await s.offlineGrants.getWithUser(g.id))!.grant, once);
        // The old token lost: it cannot rotate again; the new one can, and only the last step is kept.
        assert.equal(await rotate(T + 4, g.tokenHash, "other"), false);
        assert.equal(await rotate(T + 5, "next", "third"), true);
        assert.deepEqual(await s.offlineGrants.get(g.id), { ...once, tokenHash: "third", lastAccessedAt: T + 5, ip: "10.0.0.5", userAgent: "ua-5", previousTokenHash: "next", rotatedAt: T + 5, rotationSalt: "salt-5" });
        assert.equal(await s.offlineGrants.rotate(id("missing"), { at: T, ip: "", userAgent: "", expectedTokenHash: "x", newTokenHash: "y", salt: "z" }), false);
      });

      it("of 5 concurrent rotations with one token exactly one wins", async () => {
        const u = await user();
        const g = newGrant(u.id);
        await s.offlineGrants.create(g);
        await warmPool();
        const racers = await Promise.all([1, 2, 3, 4, 5].map((i) =>
          s.offlineGrants.rotate(g.id, { at: T + i, ip: "", userAgent: "", expectedTokenHash: g.tokenHash, newTokenHash: `r${i}`, salt: `s${i}` })));
        assert.equal(racers.filter(Boolean).length, 1);
        const winner = racers.indexOf(true) + 1;
        const row = (await s.offlineGrants.get(g.id))!;
        assert.deepEqual([row.tokenHash, row.previousTokenHash, row.rotationSalt, row.rotatedAt], [`r${winner}`, g.tokenHash, `s${winner}`, T + winner]);
      });


    });

    describe("authorization codes", () => {
      it("get reads without using; consume: ok with the issued grant, then reused with it, and missing", async () => {
        const u = await user();
        const code = newCode(u.id);
        await s.codes.create(code);
        assert.deepEqual(await s.codes.get(code.codeHash), code);
        assert.equal(await s.codes.get(id("missing")), null);
        assert.deepEqual(await s.codes.consume(code.codeHash, { at: T + 1, issuedGrantId: "grant-1" }), { kind: "ok", code: { ...code, usedAt: T + 1, issuedGrantId: "grant-1" } });
        assert.deepEqual(await s.codes.get(code.codeHash), { ...code, usedAt: T + 1, issuedGrantId: "grant-1" });
        // A second exchange neither re-marks the code nor overwrites what the first one recorded.
        assert.deepEqual(await s.codes.consume(code.codeHash, { at: T + 2, issuedGrantId: "grant-2" }), { kind: "reused", code: { ...code, usedAt: T + 1, issuedGrantId: "grant-1" } });
        assert.deepEqual(await s.codes.consume(id("missing"), { at: T, issuedGrantId: null }), { kind: "missing" });
        const bare = newCode(u.id, { nonce: null, codeChallenge: null, codeChallengeMethod: null });
        await s.codes.create(bare);
        assert.deepEqual(await s.codes.consume(bare.codeHash, { at: T + 1, issuedGrantId: null }), { kind: "ok", code: { ...bare, usedAt: T + 1 } });
      });

      it("of 10 concurrent consumes exactly one is ok, and every loser sees the grant it recorded", async () => {
        const u = await user();
        const code = newCode(u.id);
        await s.codes.create(code);
        await warmPool();
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.codes.consume(code.codeHash, { at: T + 1 + i, issuedGrantId: `grant-${i}` })));
        const ok = results.filter((r) => r.kind === "ok");
        assert.equal(ok.length, 1);
        assert.equal(results.filter((r) => r.kind === "reused").length, 9);
        const winner = ok[0].kind === "ok" ? ok[0].code : null;
        for (const r of results) {
          assert.equal(r.kind !== "missing" && r.code.usedAt, winner!.usedAt);
          assert.equal(r.kind !== "missing" && r.code.issuedGrantId, winner!.issuedGrantId);
        }
      });

      it("deleteExpired removes only codes that expired before the cutoff", async () => {
        // Far in the past, below every other case's times, so the count is this case's alone.
        const u = await user();
        const [old, edge, live] = [100, 150, 200].map((expiresAt) => newCode(u.id, { createdAt: 0, expiresAt }));
        for (const c of [old, edge, live]) await s.codes.create(c);
        assert.equal(await s.codes.deleteExpired(150), 1);
        assert.equal(await s.codes.deleteExpired(150), 0);
        assert.equal(await s.codes.get(old.codeHash), null);
        assert.deepEqual(await s.codes.get(edge.codeHash), edge);
        assert.deepEqual(await s.codes.get(live.codeHash), live);
        assert.equal(await s.codes.deleteExpired(201), 2);
      });
    });

    it("auth flows: create, get, delete", async () => {
      const flow = { id: id("f"), clientId: "portal", params: { redirect_uri: "https://app.example/cb", state: "x y&z", nonce: "ü" }, createdAt: T, expiresAt: T + 900 };
      await s.authFlows.create(flow);
      assert.deepEqual(await s.authFlows.get(flow.id), flow);
      await s.authFlows.delete(flow.id);
      assert.equal(await s.authFlows.get(flow.id), null);
      await s.authFlows.delete(flow.id);
    });

    it("auth flows: deleteExpired removes only flows past their expiry", async () => {
      const [gone, kept] = [101, 300].map((expiresAt) => ({ id: id("f"), clientId: "portal", params: {}, createdAt: 1, expiresAt }));
      for (const f of [gone, kept]) await s.authFlows.create(f);
      assert.equal(await s.authFlows.deleteExpired(200), 1);
      assert.equal(await s.authFlows.get(gone.id), null);
      assert.deepEqual(await s.authFlows.get(kept.id), kept);
    });

    it("sessions and grants: deleteEnded removes those expired or revoked before the cut-off", async () => {
      const u = await user();
      // Times far below T: no other case's rows are that old.
      const sessions = [newSession(u.id, { expiresAt: 100 }), newSession(u.id, { expiresAt: T, revokedAt: 120 }), newSession(u.id, { expiresAt: 300, revokedAt: 160 }), newSession(u.id, { expiresAt: T })];
      const grants = [newGrant(u.id, { expiresAt: 100 }), newGrant(u.id, { expiresAt: T, revokedAt: 120 }), newGrant(u.id, { expiresAt: 300 }), newGrant(u.id, { expiresAt: T })];
      for (const x of sessions) await s.sessions.create(x);
      for (const g of grants) await s.offlineGrants.create(g);
      assert.equal(await s.sessions.deleteEnded(150), 2);
      assert.equal(await s.offlineGrants.deleteEnded(150), 2);
      assert.deepEqual((await s.sessions.listByUser(u.id)).map((x) => x.id).sort(), [sessions[2].id, sessions[3].id].sort());
      assert.deepEqual((await s.offlineGrants.listByUser(u.id)).map((x) => x.id).sort(), [grants[2].id, grants[3].id].sort());
    });

    it("signing keys: insert, list oldest first, markRotated once", async () => {
      const mine = new Set<string>();
      const key = (createdAt: number) => { const kid = id("k"); mine.add(kid); return { kid, privateJwk: `{"kid":"${kid}"}`, createdAt, rotatedAt: null, retiredAt: null }; };
      const [a, b, c] = [key(T + 2), key(T + 1), key(T + 3)];
      await s.signingKeys.insert(a);
      await s.signingKeys.insert(b);
      await s.signingKeys.insert({ ...c, rotatedAt: T + 4, retiredAt: T + 5 });
      const listed = async () => (await s.signingKeys.list()).filter((k) => mine.has(k.kid));
      assert.deepEqual(await listed(), [b, a, { ...c, rotatedAt: T + 4, retiredAt: T + 5 }]);
      await s.signingKeys.markRotated(a.kid, T + 10);
      await s.signingKeys.markRotated(a.kid, T + 20);
      await s.signingKeys.markRotated(c.kid, T + 20);
      assert.deepEqual(await listed(), [b, { ...a, rotatedAt: T + 10 }, { ...c, rotatedAt: T + 4, retiredAt: T + 5 }]);
    });

  });
}
