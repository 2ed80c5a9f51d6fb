// Revocation cascades on a real database, through the services the admin API, the settings page and
// the reset flow call: a user with 1,000 sessions and 1,000 grants is ended in a constant number of
// PostgreSQL round trips, and a statement failing half-way leaves nothing half-revoked.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import Database from "better-sqlite3";
import { createContext } from "../../src/app.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { Context } from "../../src/context.ts";
import { adminDeleteUser, adminRevokeAllSessions, adminSetDisabled } from "../../src/admin/operations.ts";
import { revokeAllForUser } from "../../src/session/revocation.ts";
import { startRevocationWatcher } from "../../src/revocation-feed/watcher.ts";
import { backends, POSTGRES_URL } from "../storage/backends.ts";
import { newGrant, newSession, newUser, skipPostgres } from "../storage/fixtures.ts";
import { GRANT_COLUMNS, SESSION_COLUMNS } from "../../src/storage/rows.ts";

const actor = { id: "key:test" };

for (const backend of backends) {
  describe(`revocation cascades: ${backend.name}`, { skip: backend.name === "postgres" && skipPostgres }, () => {
    let ctx: Context;
    let url: string;
    let drop: () => Promise<void>;
    /** Raw SQL on the same database, for seeding in bulk and for planting a failing trigger. */
    let sql: (text: string) => Promise<void>;
    let closeSql: () => Promise<void>;
    const heard: string[] = [];

    before(async () => {
      const opened = await backend.open();
      await opened.storage.close();
      ({ url, drop } = opened);
      ctx = await createContext(parseConfig({
        database: { url },
        authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } },
        oauth: { clients: [{ client_id: "portal", x_application_type: "spa", redirect_uris: ["http://127.0.0.1:9/cb"] }] },
      }));
      ctx.revocationListeners.add((kind, id) => heard.push(`${kind} ${id}`));
      if (backend.name === "postgres") {
        const schema = new URL(url).searchParams.get("schema")!;
        const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
        await client.connect();
        sql = async (text) => void (await client.query(text));
        closeSql = () => client.end();
      } else {
        const db = new Database(url.slice("sqlite:".length));
        sql = async (text) => void db.exec(text);
        closeSql = async () => void db.close();
      }
    });
    after(async () => {
      await closeSql?.();
      await ctx?.close();
      await drop?.();
    });

    /** A user with `n` sessions and `n` grants (each grant born from a session), seeded in bulk. */
    async function userWith(n: number): Promise<{ userId: string; sessionIds: string[]; grantIds: string[] }> {
      const u = (await ctx.storage.users.create(newUser(), "hash"))!;
      const sessions = Array.from({ length: n }, () => newSession(u.id, { expiresAt: ctx.now() + 3600, lastAccessedAt: ctx.now() }));
      const grants = sessions.map((s) => newGrant(u.id, { idpSessionId: s.id, expiresAt: ctx.now() + 3600, lastAccessedAt: ctx.now() }));
      const q = (v: unknown): string => (typeof v === "boolean" ? (v ? "1" : "0") : typeof v === "string" ? `'${v}'` : v === null ? "NULL" : Array.isArray(v) ? `'${JSON.stringify(v)}'` : String(v));
      const values = (rows: object[]): string => rows.map((r) => `(${Object.values(r).map(q).join(", ")})`).join(",\n");
      if (n > 0) {
        await sql(`INSERT INTO idp_sessions (${SESSION_COLUMNS.join(", ")}) VALUES ${values(sessions)}`);
        // Every column, in the fixture's field order (the column lists grow with new fields).
        await sql(`INSERT INTO offline_grants (${GRANT_COLUMNS.join(", ")}) VALUES ${values(grants)}`);
      }
      return { userId: u.id, sessionIds: sessions.map((s) => s.id), grantIds: grants.map((g) => g.id) };
    }

    const liveCount = async (userId: string): Promise<number> =>
      [...(await ctx.storage.sessions.listByUser(userId)), ...(await ctx.storage.offlineGrants.listByUser(userId))].filter((r) => r.revokedAt === null).length;

    /** PostgreSQL statements sent while `fn` runs (every pooled connection is a pg.Client). */
    async function countQueries(fn: () => Promise<unknown>): Promise<number> {
      const original = pg.Client.prototype.query;
      let count = 0;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        count++;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      try {
        await fn();
      } finally {
        pg.Client.prototype.query = original;
      }
      return count;
    }

    it("ends 1,000 sessions and 1,000 grants, and this node's listeners hear each one", async () => {
      const big = await userWith(1000);
      heard.length = 0;
      const seq = await ctx.storage.revocations.latestSeq();
      assert.equal(await revokeAllForUser(ctx, big.userId), 2000);
      assert.equal(await liveCount(big.userId), 0);
      assert.equal(heard.length, 2000);
      assert.ok(heard.includes(`session i.${big.sessionIds[999]}`) && heard.includes(`grant o.${big.grantIds[0]}`));
      assert.equal((await ctx.storage.revocations.since(seq, 5000)).length, 2000);
    });

    it("one cascade sends other nodes one nudge, not one per session", async () => {
      let nudges = 0;
      const watcher = await startRevocationWatcher(ctx, {
        intervalMs: 60_000,
        nudges: { id: "spy", publish: () => void nudges++, onNudge: () => undefined, close: async () => undefined },
      });
      const seen: number[] = [];
      watcher.subscribe((events) => seen.push(events.length));
      try {
        const u = await userWith(300);
        await revokeAllForUser(ctx, u.userId);
        await watcher.poll();
        assert.equal(nudges, 1);
        assert.equal(seen.reduce((a, b) => a + b, 0), 600, "the feed carried every event");
      } finally {
        watcher.stop();
      }
    });

    it("costs the same few round trips for 1,000 sessions and grants as for one", { skip: backend.name !== "postgres" }, async () => {
      for (const [name, op] of [
        ["delete", (userId: string) => adminDeleteUser(ctx, actor, userId)],
        ["revoke all", (userId: string) => adminRevokeAllSessions(ctx, actor, userId)],
      ] as const) {
        const small = await userWith(1);
        const big = await userWith(1000);
        const few = await countQueries(() => op(small.userId));
        const many = await countQueries(() => op(big.userId));
        assert.equal(many, few, `${name}: ${many} queries for 1,000 sessions and grants, ${few} for one`);
        assert.ok(many <= 12, `${name}: ${many} queries`);
        if (process.env.GATEHOUSE_PRINT_COUNTS) console.log(`${name}: ${many} queries`);
        assert.equal(await liveCount(big.userId), 0);
      }
    });

    it("a statement failing half-way leaves nothing revoked, nothing logged and nothing heard", async () => {
      const victim = await userWith(10);
      // The 6th grant's log event fails to insert (by then earlier sessions and grants were revoked),
      // and so does the user's (disable writes the flag, then the event).
      const poisoned = `o.${victim.grantIds[5]}`;
      if (backend.name === "postgres") {
        await sql(`CREATE FUNCTION fail_revocation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id IN ('${poisoned}', '${victim.userId}') THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
        await sql("CREATE TRIGGER fail_revocation BEFORE INSERT ON revocations FOR EACH ROW EXECUTE FUNCTION fail_revocation()");
      } else {
        await sql(`CREATE TRIGGER fail_revocation BEFORE INSERT ON revocations WHEN NEW.id IN ('${poisoned}', '${victim.userId}') BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      }
      try {
        const seq = await ctx.storage.revocations.latestSeq();
        heard.length = 0;
        for (const op of [() => revokeAllForUser(ctx, victim.userId), () => adminDeleteUser(ctx, actor, victim.userId), () => adminSetDisabled(ctx, actor, victim.userId, true, "")]) {
          await assert.rejects(op(), /injected failure/);
          assert.equal(await liveCount(victim.userId), 20, "every session and grant is still live");
          assert.deepEqual(await ctx.storage.revocations.since(seq, 100), [], "nothing was logged");
          assert.deepEqual(heard, [], "no listener heard of a revocation that did not happen");
          const user = await ctx.storage.users.get(victim.userId);
          assert.equal(user?.disabled, false, "the user is still there, enabled");
        }
      } finally {
        await sql("DROP TRIGGER fail_revocation" + (backend.name === "postgres" ? " ON revocations; DROP FUNCTION fail_revocation()" : ""));
      }
      // Once the fault is gone the same cascade goes through whole.
      assert.equal(await revokeAllForUser(ctx, victim.userId), 20);
    });

    it("revoke all but this one keeps the current browser session and the apps born from it", async () => {
      const u = await userWith(3);
      assert.equal(await revokeAllForUser(ctx, u.userId, { exceptSessionId: u.sessionIds[1] }), 4);
      const live = [...(await ctx.storage.sessions.listByUser(u.userId)), ...(await ctx.storage.offlineGrants.listByUser(u.userId))].filter((r) => r.revokedAt === null);
      assert.deepEqual(live.map((r) => r.id).sort(), [u.sessionIds[1], u.grantIds[1]].sort());
    });
  });
}
