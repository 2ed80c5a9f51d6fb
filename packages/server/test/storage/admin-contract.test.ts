// The contract suite for the admin ports (user directory, admin keys, audit log, client settings,
// revocation log), run against every backend in backends.ts like contract.test.ts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { backends, existingUser, suiteStorage } from "./backends.ts";
import { T, id, skipPostgres } from "./fixtures.ts";

for (const backend of backends) {
  describe(`admin storage contract: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    const s = suiteStorage(backend);
    const user = existingUser(s);

    it("userDirectory pages by (created_at, id) and searches email substrings or exact ids", async () => {
      const tag = randomBytes(4).toString("hex");
      const made = [];
      for (const [n, at] of [[1, T + 2], [2, T + 1], [3, T + 2], [4, T + 3]] as const) made.push(await user({ id: `dir-${tag}-${n}`, email: `p${n}_${tag}@example.com`, createdAt: at }));
      const first = await s.userDirectory.list({ query: `_${tag.toUpperCase()}@`, limit: 3 });
      assert.deepEqual(first.items.map((u) => u.id), [made[1].id, made[0].id, made[2].id]);
      assert.ok(first.nextCursor);
      const second = await s.userDirectory.list({ query: `_${tag}@`, cursor: first.nextCursor, limit: 3 });
      assert.deepEqual(second, { items: [made[3]], nextCursor: null });
      assert.deepEqual((await s.userDirectory.list({ query: made[2].id, limit: 5 })).items, [made[2]]);
      // LIKE wildcards in the query are literal.
      assert.deepEqual((await s.userDirectory.list({ query: `%${tag}`, limit: 5 })).items, []);
      assert.deepEqual((await s.userDirectory.list({ query: `p_${tag}`, limit: 5 })).items, []);
    });

    it("userDirectory.byIds returns the users that exist, in one call", async () => {
      const [a, b] = [await user({ id: id("byid") }), await user({ id: id("byid") })];
      assert.deepEqual((await s.userDirectory.byIds([b.id, id("missing"), a.id])).sort((x, y) => x.id.localeCompare(y.id)), [a, b].sort((x, y) => x.id.localeCompare(y.id)));
      assert.deepEqual(await s.userDirectory.byIds([]), []);
    });

    it("adminKeys: create and get", async () => {
      const k = { id: id("ak"), name: "ci", secretHash: "sh", createdAt: T, lastUsedAt: null, revokedAt: null };
      await s.adminKeys.create(k);
      assert.deepEqual(await s.adminKeys.get(k.id), k);
      const revoked = { ...k, id: id("ak"), revokedAt: T + 1 };
      await s.adminKeys.create(revoked);
      assert.deepEqual(await s.adminKeys.get(revoked.id), revoked);
      assert.equal(await s.adminKeys.get(id("missing")), null);
    });

    it("auditLog: newest first, by target, with a cursor", async () => {
      const target = id("t");
      for (const n of [1, 2, 3]) await s.auditLog.append({ at: T + n, actor: "key:a", action: `act.${n}`, targetType: "user", targetId: target, details: { n } });
      const page = await s.auditLog.list({ targetId: target, limit: 2 });
      assert.deepEqual(page.items.map((e) => [e.action, e.details, e.at, e.actor, e.targetType]), [["act.3", { n: 3 }, T + 3, "key:a", "user"], ["act.2", { n: 2 }, T + 2, "key:a", "user"]]);
      const rest = await s.auditLog.list({ targetId: target, cursor: page.nextCursor!, limit: 2 });
      assert.deepEqual([rest.items.map((e) => e.action), rest.nextCursor], [["act.1"], null]);
      assert.equal((await s.auditLog.list({ limit: 1 })).items[0].id >= page.items[0].id, true);
    });

    it("adminKeys: list, revoke once, and touch at most once per window", async () => {
      const k = { id: id("ak"), name: "listed", secretHash: "sh", createdAt: T + 5, lastUsedAt: null, revokedAt: null };
      await s.adminKeys.create(k);
      assert.deepEqual((await s.adminKeys.list()).find((x) => x.id === k.id), k);
      const all = await s.adminKeys.list();
      assert.deepEqual(all.map((x) => x.createdAt), [...all.map((x) => x.createdAt)].sort((a, b) => a - b), "oldest first");
      await s.adminKeys.touch(k.id, T + 100, T + 41);
      assert.equal((await s.adminKeys.get(k.id))!.lastUsedAt, T + 100);
      await s.adminKeys.touch(k.id, T + 130, T + 71);
      assert.equal((await s.adminKeys.get(k.id))!.lastUsedAt, T + 100, "a use within the window is not written");
      await s.adminKeys.touch(k.id, T + 161, T + 102);
      assert.equal((await s.adminKeys.get(k.id))!.lastUsedAt, T + 161);
      assert.equal(await s.adminKeys.revoke(k.id, T + 200), true);
      assert.equal(await s.adminKeys.revoke(k.id, T + 300), false, "revoking twice changes nothing");
      assert.equal((await s.adminKeys.get(k.id))!.revokedAt, T + 200);
      assert.equal(await s.adminKeys.revoke(id("missing"), T), false);
    });

    it("auditLog: filters by action, alone and with a target, pages by keyset", async () => {
      const [a, b] = [id("ta"), id("tb")];
      for (let n = 1; n <= 5; n++) {
        await s.auditLog.append({ at: T + n, actor: "user:x", action: n % 2 ? "user.authenticated" : "authentication.blocked", targetType: "user", targetId: n <= 3 ? a : b, details: { n } });
      }
      const ns = (p: { items: { details: Record<string, unknown> }[] }) => p.items.map((e) => e.details.n);
      const first = await s.auditLog.list({ targetId: a, action: "user.authenticated", limit: 1 });
      assert.deepEqual(ns(first), [3]);
      assert.deepEqual(ns(await s.auditLog.list({ targetId: a, action: "user.authenticated", cursor: first.nextCursor!, limit: 5 })), [1]);
      assert.deepEqual(ns(await s.auditLog.list({ targetId: b, action: "authentication.blocked", limit: 5 })), [4]);
      const byAction = await s.auditLog.list({ action: "authentication.blocked", limit: 50 });
      assert.ok(byAction.items.every((e) => e.action === "authentication.blocked"));
      assert.deepEqual(ns(byAction).slice(0, 2), [4, 2]);
    });

    it("clientSettings: put and overwrite", async () => {
      const client = id("client");
      await s.clientSettings.put(client, { ttl: 60 }, T);
      assert.deepEqual((await s.clientSettings.all())[client], { ttl: 60 });
      await s.clientSettings.put(client, { ttl: 120, rotate: true }, T + 1);
      assert.deepEqual((await s.clientSettings.all())[client], { ttl: 120, rotate: true });
    });

    it("revocations: append, since, latestSeq, deleteExpired", async () => {
      const start = await s.revocations.latestSeq();
      const seqs = [];
      for (const [kind, expiresAt] of [["session", 1000], ["grant", 2000], ["user", 3000]] as const) seqs.push(await s.revocations.append({ kind, id: `${kind}-1`, at: T, expiresAt }));
      assert.ok(seqs[0] > start && seqs[1] > seqs[0] && seqs[2] > seqs[1]);
      assert.equal(await s.revocations.latestSeq(), seqs[2]);
      assert.deepEqual(await s.revocations.since(seqs[0], 10), [
        { seq: seqs[1], kind: "grant", id: "grant-1", at: T, expiresAt: 2000 },
        { seq: seqs[2], kind: "user", id: "user-1", at: T, expiresAt: 3000 },
      ]);
      assert.equal((await s.revocations.since(start, 1)).length, 1);
      assert.equal(await s.revocations.deleteExpired(2000), 1);
      assert.deepEqual((await s.revocations.since(start, 10)).map((e) => e.seq), seqs.slice(1));
    });
  });
}
