// One contract suite for the account storage ports, run against every backend (the shared list in
// test/storage/backends.ts: SQLite, and PostgreSQL in a fresh schema), through the real wiring.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import type { AccountStorage, OneTimeCode, PendingLogin } from "../../src/storage/account-ports.ts";
import { addFailure, type LockoutPolicy } from "../../src/account/limits/lockout.ts";
import { backends } from "../storage/backends.ts";

interface Backend {
  stores: AccountStorage;
  /** Creates a user row (the account tables reference users). */
  user(): Promise<string>;
  close(): Promise<void>;
}

async function openBackend(open: (typeof backends)[number]["open"]): Promise<Backend> {
  const { storage, drop } = await open();
  await storage.migrate();
  return {
    stores: storage,
    async user() {
      const id = randomUUID();
      await storage.users.create({ id, email: `${id}@example.com`, isVerified: false, isAnonymous: false, disabled: false, disabledReason: null, roles: [], standardAttributes: {}, customAttributes: {}, createdAt: 0, updatedAt: 0 }, null);
      return id;
    },
    async close() {
      await storage.close();
      await drop();
    },
  };
}

const policy: LockoutPolicy = { maxAttempts: 3, historyDuration: 300, minimumDuration: 60, maximumDuration: 600, backoffFactor: 2, perUserPerIp: false };

for (const backend of backends) {
  describe(`account storage contract: ${backend.name}`, () => {
    let b: Backend | null = null;
    before(async () => { b = await openBackend(backend.open); });
    after(async () => { await b?.close(); });
    const s = (): AccountStorage => b!.stores;

    it("one-time codes: put replaces, failures count, consume is single-use, a link token can rotate", async () => {
      const userId = await b!.user();
      const code: OneTimeCode = { purpose: "reset_password", userId, target: "a@example.com", codeHash: "c1", linkTokenHash: "l1", failedAttempts: 0, createdAt: 10, expiresAt: 100, consumedAt: null };
      await s().oneTimeCodes.put(code);
      await s().oneTimeCodes.put({ ...code, codeHash: "c2", linkTokenHash: "l2" });
      assert.equal((await s().oneTimeCodes.get("reset_password", userId))!.codeHash, "c2");
      assert.equal(await s().oneTimeCodes.get("verify_email", userId), null);
      assert.equal((await s().oneTimeCodes.reserveAttempt("reset_password", userId, { cap: 5, at: 20 }))!.failedAttempts, 1);
      assert.equal((await s().oneTimeCodes.reserveAttempt("reset_password", userId, { cap: 5, at: 20 }))!.codeHash, "c2", "the reserved code comes back");
      assert.equal(await s().oneTimeCodes.reserveAttempt("reset_password", userId, { cap: 2, at: 20 }), null, "no guess left");
      assert.equal(await s().oneTimeCodes.reserveAttempt("reset_password", userId, { cap: 5, at: 100 }), null, "expired");
      assert.equal(await s().oneTimeCodes.reserveAttempt("verify_email", userId, { cap: 5, at: 20 }), null, "no such code");
      assert.equal((await s().oneTimeCodes.get("reset_password", userId))!.failedAttempts, 2);
      assert.equal(await s().oneTimeCodes.consume("reset_password", userId, { expectedHash: "c1", at: 20 }), false, "an old code is dead");
      assert.equal(await s().oneTimeCodes.consume("reset_password", userId, { expectedHash: "c2", at: 20, nextLinkTokenHash: "l3" }), true);
      assert.equal(await s().oneTimeCodes.consume("reset_password", userId, { expectedHash: "c2", at: 20 }), false, "a code works once");
      assert.equal((await s().oneTimeCodes.findByLinkToken("reset_password", "l3"))!.userId, userId);
      assert.equal(await s().oneTimeCodes.findByLinkToken("reset_password", "l2"), null);
      assert.equal(await s().oneTimeCodes.consume("reset_password", userId, { expectedHash: "l3", at: 30 }), true);
      assert.equal(await s().oneTimeCodes.consume("reset_password", userId, { expectedHash: "l3", at: 31 }), false);
      assert.equal((await s().oneTimeCodes.get("reset_password", userId))!.consumedAt, 30);
      assert.equal(await s().oneTimeCodes.deleteExpired(101), 1);
    });

    it("one-time codes: parallel guesses never reserve more than the cap", async () => {
      const userId = await b!.user();
      await s().oneTimeCodes.put({ purpose: "verify_email", userId, target: "a@example.com", codeHash: "c", linkTokenHash: null, failedAttempts: 0, createdAt: 10, expiresAt: 100, consumedAt: null });
      const got = await Promise.all(Array.from({ length: 40 }, () => s().oneTimeCodes.reserveAttempt("verify_email", userId, { cap: 5, at: 20 })));
      assert.equal(got.filter(Boolean).length, 5);
      assert.deepEqual(got.filter(Boolean).map((c) => c!.failedAttempts).sort(), [1, 2, 3, 4, 5]);
      assert.equal((await s().oneTimeCodes.get("verify_email", userId))!.failedAttempts, 5);
      assert.equal(await s().oneTimeCodes.consume("verify_email", userId, { expectedHash: "c", at: 21 }), true);
      assert.equal(await s().oneTimeCodes.reserveAttempt("verify_email", userId, { cap: 50, at: 22 }), null, "a spent code takes no guesses");
    });

    it("TOTP: pending until confirmed, a confirmed one is not replaced, steps are used once", async () => {
      const userId = await b!.user();
      const totp = { userId, secret: "S1", createdAt: 1, confirmedAt: null, lastUsedStep: 0 };
      assert.equal(await s().totp.putPending(totp), true);
      assert.equal(await s().totp.putPending({ ...totp, secret: "S2" }), true, "a setup can restart");
      assert.equal(await s().totp.confirm(userId, "S1", 5, 100), false, "only the latest secret confirms");
      assert.equal(await s().totp.confirm(userId, "S2", 5, 100), true);
      assert.equal(await s().totp.putPending({ ...totp, secret: "S3" }), false);
      assert.equal((await s().totp.get(userId))!.secret, "S2");
      assert.equal(await s().totp.markUsed(userId, 100), false, "the confirming step is spent");
      assert.equal(await s().totp.markUsed(userId, 101), true);
      assert.equal(await s().totp.markUsed(userId, 101), false);
      assert.equal(await s().totp.delete(userId), true);
      assert.equal(await s().totp.get(userId), null);
    });

    it("recovery codes: replace, consume once, count", async () => {
      const userId = await b!.user();
      await s().recoveryCodes.replace(userId, ["h1", "h2", "h3"], 1);
      await s().recoveryCodes.replace(userId, ["h4", "h5"], 2);
      assert.equal(await s().recoveryCodes.countUnused(userId), 2);
      assert.equal(await s().recoveryCodes.consume(userId, "h1", 3), false);
      assert.equal(await s().recoveryCodes.consume(userId, "h4", 3), true);
      assert.equal(await s().recoveryCodes.consume(userId, "h4", 4), false);
      assert.equal(await s().recoveryCodes.countUnused(userId), 1);
      await s().recoveryCodes.deleteAll(userId);
      assert.equal(await s().recoveryCodes.countUnused(userId), 0);
    });

    it("pending logins: compare-and-set stages, single use, expiry", async () => {
      const userId = await b!.user();
      const p: PendingLogin = { id: randomBytes(16).toString("hex"), secretHash: "h", userId, email: "a@example.com", flowId: null, stage: "totp", amr: ["pwd"], createdAt: 0, expiresAt: 300, consumedAt: null };
      await s().pendingLogins.create(p);
      await s().pendingLogins.create({ ...p, id: randomBytes(16).toString("hex"), userId: null });
      assert.equal(await s().pendingLogins.advance(p.id, "verify", null, 10), false, "wrong stage");
      assert.equal(await s().pendingLogins.advance(p.id, "totp", { stage: "verify", amr: ["pwd", "otp", "mfa"] }, 10), true);
      assert.equal(await s().pendingLogins.advance(p.id, "totp", null, 11), false, "the totp stage is over");
      assert.deepEqual((await s().pendingLogins.get(p.id))!.amr, ["pwd", "otp", "mfa"]);
      assert.equal(await s().pendingLogins.advance(p.id, "verify", null, 300), false, "expired");
      assert.equal(await s().pendingLogins.advance(p.id, "verify", null, 12), true);
      assert.equal(await s().pendingLogins.advance(p.id, "verify", null, 13), false, "consumed");
      assert.equal(await s().pendingLogins.deleteExpired(301), 2);
    });

    it("lockouts: atomic read-modify-write under concurrency, delete, expiry", async () => {
      await Promise.all(Array.from({ length: 10 }, () => s().lockouts.update("k", (r) => addFailure(r, { ...policy, maxAttempts: 100 }, "ip", 1000))));
      assert.equal((await s().lockouts.update("k", (r) => r))!.total, 10, "no lost updates");
      // Deletes in the middle (a success clearing the record) must not lose or break the others.
      const ops = await Promise.all(Array.from({ length: 30 }, (_, i) => s().lockouts.update("k3", (r) => (i % 3 === 2 ? null : addFailure(r, { ...policy, maxAttempts: 100 }, "ip", 1000)))));
      assert.equal(ops.length, 30);
      await s().lockouts.update("k3", () => null);
      await s().lockouts.update("k", () => null);
      assert.equal(await s().lockouts.update("k", (r) => r), null);
      await s().lockouts.deleteExpired(1); // cleared records may be left for the sweep
      await s().lockouts.update("k2", (r) => addFailure(r, policy, "ip", 1000));
      assert.equal(await s().lockouts.deleteExpired(1299), 0);
      assert.equal(await s().lockouts.deleteExpired(1301), 1);
    });

    it("outbox: newest first", async () => {
      for (const n of [1, 2, 3]) await s().outbox.append({ to: `u${n}@example.com`, subject: `s${n}`, text: "t", html: "h", createdAt: n });
      assert.deepEqual((await s().outbox.list(2)).map((m) => m.subject), ["s3", "s2"]);
    });

    it("outbox: deleteOlderThan", async () => {
      for (const [subject, createdAt] of [["old", 10], ["new", 20]] as const) await s().outbox.append({ to: "o@example.com", subject, text: "t", html: "h", createdAt });
      assert.ok((await s().outbox.deleteOlderThan(15)) >= 1);
      const left = await s().outbox.list(100);
      assert.ok(left.every((m) => m.createdAt >= 15));
      assert.equal(left[0].subject, "new");
    });

    it("password history: the newest `size` or everything since `since`, whichever is more; prune keeps exactly that", async () => {
      const u = await b!.user();
      const other = await b!.user();
      for (const [hash, at] of [["h1", 100], ["h2", 200], ["h3", 300], ["h4", 400]] as const) await s().passwordHistory.add(u, hash, at);
      await s().passwordHistory.add(other, "x1", 500);
      const never = Number.MAX_SAFE_INTEGER;
      assert.deepEqual(await s().passwordHistory.recent(u, { size: 2, since: never }), ["h4", "h3"]);
      assert.deepEqual(await s().passwordHistory.recent(u, { size: 0, since: 150 }), ["h4", "h3", "h2"]);
      assert.deepEqual(await s().passwordHistory.recent(u, { size: 1, since: 250 }), ["h4", "h3"], "the longer of the two windows");
      assert.deepEqual(await s().passwordHistory.recent(u, { size: 3, since: 350 }), ["h4", "h3", "h2"]);
      assert.equal(await s().passwordHistory.prune(u, { size: 1, since: 250 }), 2);
      assert.deepEqual(await s().passwordHistory.recent(u, { size: 10, since: 0 }), ["h4", "h3"]);
      assert.deepEqual(await s().passwordHistory.recent(other, { size: 10, since: 0 }), ["x1"], "another user's history is untouched");
    });
  });
}
