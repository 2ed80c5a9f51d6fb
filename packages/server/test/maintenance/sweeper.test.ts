// The one sweeper, on both backends: every table with expiring rows loses exactly its expired rows.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createContext } from "../../src/app.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { Context } from "../../src/context.ts";
import { RETENTION_SECONDS, sweepExpired } from "../../src/maintenance/sweeper.ts";
import { backends } from "../storage/backends.ts";
import { id, newCode, newGrant, newSession, newUser, skipPostgres } from "../storage/fixtures.ts";

const NOW = 1_800_000_000;

for (const backend of backends) {
  describe(`sweepExpired: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    let ctx: Context;
    let drop: () => Promise<void>;
    before(async () => {
      const opened = await backend.open();
      await opened.storage.close();
      drop = opened.drop;
      ctx = await createContext(parseConfig({ database: { url: opened.url } }), { now: () => NOW });
    });
    after(async () => {
      await ctx?.close();
      await drop?.();
    });

    it("deletes what expired (past its retention) from every table and keeps the rest", async () => {
      const s = ctx.storage;
      // Whatever earlier runs left: this case counts only its own rows.
      await sweepExpired(ctx);
      const u = (await s.users.create(newUser(), "hash"))!;
      const old = NOW - RETENTION_SECONDS.endedSessions - 1;
      const recent = NOW - 60;

      await s.codes.create(newCode(u.id, { expiresAt: NOW - RETENTION_SECONDS.codes - 1 }));
      const liveCode = newCode(u.id, { expiresAt: NOW - 10 });
      await s.codes.create(liveCode);

      await s.authFlows.create({ id: id("f"), clientId: "c", params: {}, createdAt: NOW - 2000, expiresAt: NOW - 1 });
      const liveFlow = { id: id("f"), clientId: "c", params: {}, createdAt: NOW, expiresAt: NOW + 1800 };
      await s.authFlows.create(liveFlow);

      const other = (await s.users.create(newUser(), null))!;
      const code = (userId: string, expiresAt: number) => ({ purpose: "verify_email" as const, userId, target: "t@example.com", codeHash: "h", linkTokenHash: null, failedAttempts: 0, createdAt: NOW - 4000, expiresAt, consumedAt: null });
      await s.oneTimeCodes.put(code(u.id, NOW - RETENTION_SECONDS.accountState - 1));
      await s.oneTimeCodes.put(code(other.id, NOW + 60));

      const pending = (expiresAt: number) => ({ id: id("p"), secretHash: "h", userId: u.id, email: u.email!, flowId: null, stage: "totp" as const, amr: ["pwd"], createdAt: NOW - 4000, expiresAt, consumedAt: null });
      await s.pendingLogins.create(pending(NOW - RETENTION_SECONDS.accountState - 1));
      const livePending = pending(NOW + 60);
      await s.pendingLogins.create(livePending);

      const lock = (expiresAt: number) => () => ({ total: 1, byContributor: {}, lockedUntil: {}, expiresAt });
      const lockKey = id("lock");
      await s.lockouts.update(id("lock"), lock(NOW - 1));
      await s.lockouts.update(lockKey, lock(NOW + 60));

      const sessions = [
        newSession(u.id, { expiresAt: old }), newSession(u.id, { expiresAt: NOW + 3600, revokedAt: old }),
        newSession(u.id, { expiresAt: NOW + 3600, revokedAt: recent }), newSession(u.id, { expiresAt: NOW + 3600 }),
      ];
      for (const x of sessions) await s.sessions.create(x);
      const grants = [
        newGrant(u.id, { expiresAt: old }), newGrant(u.id, { expiresAt: NOW + 3600, revokedAt: old }),
        newGrant(u.id, { expiresAt: recent }), newGrant(u.id, { expiresAt: NOW + 3600 }),
      ];
      for (const g of grants) await s.offlineGrants.create(g);

      const seq = await s.revocations.latestSeq();
      await s.revocations.append({ kind: "session", id: "i.gone", at: NOW - 900, expiresAt: NOW - 1 });
      await s.revocations.append({ kind: "session", id: "i.kept", at: NOW - 10, expiresAt: NOW + 300 });

      await s.outbox.append({ to: "a@example.com", subject: "old", text: "", html: "", createdAt: NOW - RETENTION_SECONDS.outbox - 1 });
      await s.outbox.append({ to: "a@example.com", subject: "new", text: "", html: "", createdAt: NOW - 60 });

      const oob = { pendingId: "p", codeHash: "h", linkTokenHash: null, approvedAt: null, failedAttempts: 0, createdAt: old, consumedAt: null };
      await s.oobCodes.put({ ...oob, key: "oob-gone", expiresAt: NOW - RETENTION_SECONDS.accountState - 1 });
      await s.oobCodes.put({ ...oob, key: "oob-kept", expiresAt: NOW + 60 });

      // Device-key challenges: expired ones go at once (device-keys/challenges.ts).
      await s.oneTimeTokens.create({ tokenHash: id("t"), purpose: "anonymous_request", userId: null, expiresAt: NOW - 1 });
      await s.oneTimeTokens.create({ tokenHash: id("t"), purpose: "anonymous_request", userId: null, expiresAt: NOW + 300 });
      assert.deepEqual(await sweepExpired(ctx), {
        authorizationCodes: 1, authFlows: 1, oneTimeCodes: 1, pendingLogins: 1, lockouts: 1, idpSessions: 2, offlineGrants: 2, revocations: 1, outbox: 1,
        appSessionTokens: 0, settingsActions: 0, scheduledDeletions: 0, passkeyChallenges: 0, oobCodes: 1, oneTimeTokens: 1, anonymousUsers: 0, hookDeliveries: 0,
      });
      assert.ok(await s.oobCodes.get("oob-kept"));
      assert.equal((await s.codes.consume(liveCode.codeHash, { at: NOW, issuedGrantId: null })).kind, "ok");
      assert.ok(await s.authFlows.get(liveFlow.id));
      assert.ok(await s.oneTimeCodes.get("verify_email", other.id));
      assert.equal(await s.oneTimeCodes.get("verify_email", u.id), null);
      assert.ok(await s.pendingLogins.get(livePending.id));
      assert.ok(await s.lockouts.update(lockKey, (r) => r));
      assert.deepEqual((await s.sessions.listByUser(u.id)).map((x) => x.id).sort(), [sessions[2].id, sessions[3].id].sort());
      assert.deepEqual((await s.offlineGrants.listByUser(u.id)).map((x) => x.id).sort(), [grants[2].id, grants[3].id].sort());
      assert.deepEqual((await s.revocations.since(seq, 10)).map((e) => e.id), ["i.kept"]);
      assert.deepEqual((await s.outbox.list(5)).map((m) => m.subject), ["new"]);
      assert.deepEqual(Object.values(await sweepExpired(ctx)).filter((n) => n > 0), [], "a second pass finds nothing");
    });
  });
}
