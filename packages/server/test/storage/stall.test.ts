// A database that stalls or goes away (issue 11 §3): PostgreSQL behind a TCP proxy the test
// controls, and SQLite with its write lock held. Requests must fail fast with the one
// StorageUnavailableError, recover without a restart, and never commit work for a caller that was
// told it failed.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createPostgresPool, openPostgres, type PostgresLimits } from "../../src/storage/postgres/index.ts";
import { transaction } from "../../src/storage/postgres/transaction.ts";
import { openSqlite } from "../../src/storage/sqlite/index.ts";
import { fromPostgresError, isStorageUnavailable, StorageUnavailableError } from "../../src/storage/errors.ts";
import type { Storage } from "../../src/storage/ports.ts";
import { checkReady } from "../../src/observability/readiness.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { POSTGRES_URL } from "./backends.ts";
import { newGrant, newUser, skipPostgres } from "./fixtures.ts";

// Short limits keep the test quick; the ordering is the production one (idle < statement < query).
const LIMITS: Partial<PostgresLimits> = { connectTimeoutMs: 500, queryTimeoutMs: 1000, statementTimeoutMs: 800, idleInTransactionTimeoutMs: 400 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function timedFailure(run: () => Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const started = performance.now();
  try {
    await run();
  } catch (err) {
    return { err, ms: performance.now() - started };
  }
  assert.fail("expected a failure");
}

/** Polls until `run` succeeds: recovery must come without reopening anything. */
async function recovers(run: () => Promise<unknown>, withinMs: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < 200 && performance.now() - started < withinMs; i++) {
    try {
      await run();
      return performance.now() - started;
    } catch {
      await sleep(50);
    }
  }
  assert.fail(`not recovered within ${withinMs} ms`);
}

describe("PostgreSQL behind a proxy that stalls and cuts", { skip: skipPostgres }, () => {
  const schema = `gh_test_${randomBytes(6).toString("hex")}`;
  let proxy: TcpProxy;
  let storage: Storage;
  let direct: pg.Client;

  before(async () => {
    const setup = openPostgres(`${POSTGRES_URL}?schema=${schema}`);
    await setup.migrate();
    await setup.close();
    proxy = await startTcpProxy({ port: 5432 });
    storage = openPostgres(`${proxy.url(POSTGRES_URL)}?schema=${schema}`, { limits: LIMITS });
    direct = new pg.Client({ connectionString: POSTGRES_URL });
    await direct.connect();
  });
  after(async () => {
    proxy.restore();
    await storage?.close();
    await proxy?.close();
    await direct?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await direct?.end();
  });

  const tokenHashOf = async (grantId: string): Promise<string> =>
    String((await direct.query(`SELECT token_hash FROM ${schema}.offline_grants WHERE id = $1`, [grantId])).rows[0].token_hash);

  it("a frozen database fails fast with StorageUnavailableError and recovers after restore", async () => {
    const user = newUser();
    await storage.users.create(user, null);
    proxy.freeze();
    try {
      // Both an already-open pooled connection and a new one (the pool grows under concurrency).
      const results = await Promise.all(Array.from({ length: 3 }, () => timedFailure(() => storage.users.get(user.id))));
      for (const { err, ms } of results) {
        assert.ok(isStorageUnavailable(err), `got ${String(err)}`);
        assert.ok(ms < LIMITS.queryTimeoutMs! + 500, `failed after ${Math.round(ms)} ms`);
      }
      const ready = await checkReady({ storage, redis: null }, { timeoutMs: 300 });
      assert.equal(ready.ok, false);
      assert.equal(ready.checks.database.ok, false);
    } finally {
      proxy.restore();
    }
    await recovers(() => storage.users.get(user.id), 3000);
    assert.deepEqual(await storage.users.get(user.id), user);
    assert.equal((await checkReady({ storage, redis: null })).ok, true);
  });

  it("a cut database fails fast, and readiness follows it down and back up", async () => {
    const user = newUser();
    await storage.users.create(user, null);
    proxy.cut();
    try {
      const { err, ms } = await timedFailure(() => storage.users.get(user.id));
      assert.ok(err instanceof StorageUnavailableError, `got ${String(err)}`);
      assert.ok(ms < LIMITS.connectTimeoutMs! + 500, `failed after ${Math.round(ms)} ms`);
      const ready = await checkReady({ storage, redis: null }, { timeoutMs: 300 });
      assert.equal(ready.ok, false);
      assert.match(ready.checks.database.error ?? "", /unavailable|no answer/);
    } finally {
      proxy.restore();
    }
    await recovers(() => storage.users.get(user.id), 3000);
    assert.equal((await checkReady({ storage, redis: null })).ok, true);
  });

  it("a rotation whose answer never came is not committed when the database wakes up", async () => {
    const user = newUser();
    await storage.users.create(user, null);
    const grant = newGrant(user.id);
    await storage.offlineGrants.create(grant);
    await storage.users.get(user.id); // a warm pooled connection: the UPDATE goes out at once
    proxy.freeze();
    const { err } = await timedFailure(() => storage.offlineGrants.rotate(grant.id, {
      at: grant.createdAt + 60, ip: "192.0.2.9", userAgent: "t", expectedTokenHash: grant.tokenHash, newTokenHash: "rotated-while-frozen", salt: "s",
    }));
    assert.ok(isStorageUnavailable(err));
    // The held bytes reach the server now, as when a partition heals.
    proxy.restore();
    await recovers(() => storage.users.get(user.id), 3000);
    await sleep(300);
    assert.equal(await tokenHashOf(grant.id), grant.tokenHash, "the caller was told the refresh failed, so its old token must still be current");
  });

  it("a transaction whose COMMIT is held past the idle limit rolls back", async () => {
    const user = newUser();
    await storage.users.create(user, null);
    const { pool } = createPostgresPool(`${proxy.url(POSTGRES_URL)}?schema=${schema}`, { limits: LIMITS });
    try {
      const { err } = await timedFailure(() => transaction(pool, async (client) => {
        await client.query("UPDATE users SET disabled = true WHERE id = $1", [user.id]);
        // The UPDATE answered; the COMMIT about to be sent is held by the network.
        proxy.freeze();
      }));
      assert.ok(isStorageUnavailable(fromPostgresError(err)), `got ${String(err)}`);
      proxy.restore();
      await sleep(300);
      assert.equal((await direct.query(`SELECT disabled FROM ${schema}.users WHERE id = $1`, [user.id])).rows[0].disabled, false);
    } finally {
      proxy.restore();
      await pool.end();
    }
  });

  it("a connection cut while checked out between two queries fails the transaction, not the process", async () => {
    const { pool } = createPostgresPool(`${proxy.url(POSTGRES_URL)}?schema=${schema}`, { limits: LIMITS });
    try {
      const { err } = await timedFailure(() => transaction(pool, async (client) => {
        await client.query("SELECT 1");
        proxy.cut();
        // No query is running when the reset arrives: pg emits 'error' on the client itself.
        await sleep(100);
        await client.query("SELECT 1");
      }));
      assert.ok(isStorageUnavailable(fromPostgresError(err)), `got ${String(err)}`);
    } finally {
      proxy.restore();
      await pool.end();
    }
    await recovers(() => storage.users.get("nobody"), 3000);
  });
});

describe("SQLite that cannot write", () => {
  it("a write lock held past busy_timeout is StorageUnavailableError, and writes resume after", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-busy-"));
    const path = join(dir, "db.sqlite");
    const storage = openSqlite(path, { busyTimeoutMs: 100 });
    const other = new Database(path);
    try {
      await storage.migrate();
      other.exec("BEGIN IMMEDIATE");
      const { err, ms } = await timedFailure(() => storage.users.create(newUser(), null));
      assert.ok(isStorageUnavailable(err), `got ${String(err)}`);
      assert.match((err as Error).message, /SQLITE_BUSY/);
      assert.ok(ms < 2000);
      other.exec("ROLLBACK");
      assert.ok(await storage.users.create(newUser(), null));
      await storage.ping();
    } finally {
      other.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("other errors stay what they are (a bug is not an outage)", async () => {
    const storage = openSqlite(":memory:");
    await storage.migrate();
    const user = newUser();
    await storage.users.create(user, null);
    // A duplicate primary key: the adapter's contract says this throws, and it is not a 503.
    const { err } = await timedFailure(() => storage.users.create({ ...user, email: "other@example.com" }, null));
    assert.equal(isStorageUnavailable(err), false);
    await storage.close();
  });
});
