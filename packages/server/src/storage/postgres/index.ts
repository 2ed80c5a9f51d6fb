// PostgreSQL adapter, for running several Gatehouse nodes on one database. One pg.Pool per
// Storage; `?schema=NAME` in the URL (or options.schema) keeps all tables in that schema.
import pg from "pg";
import type { Storage } from "../ports.ts";
import { fromPostgresError, translateErrors } from "../errors.ts";
import { postgresMigrations } from "../schema-sql.ts";
import { postgresStores } from "./stores.ts";
import { postgresAdminStores } from "./admin-stores.ts";
import { postgresAccountStores } from "./account-stores.ts";
import { postgresIdentityStores } from "./identity-stores.ts";
import { postgresPasskeyStores } from "./passkey-stores.ts";
import { postgresOobStores } from "./oob-stores.ts";
import { postgresCascades } from "./cascades.ts";
import { profileStores } from "../profile-stores.ts";
import { importStore } from "../import-plans.ts";
import { postgresPlanRunner } from "../plan.ts";
import { postgresRoles } from "../roles-sql.ts";
import { guardPool } from "./nul-guard.ts";
import { settingsSurfaceStores } from "../settings-surface-stores.ts";
import { deviceKeyStores } from "../device-key-stores.ts";
import { postgresAtomic, scopedPool } from "./atomic.ts";
import { postgresHookStores } from "./hook-stores.ts";

/** Takes `schema` out of the URL: pg would pass unknown query parameters on to the server. */
export function splitSchema(url: string): { url: string; schema: string | null } {
  if (!/[?&]schema=/.test(url)) return { url, schema: null };
  const u = new URL(url);
  const schema = u.searchParams.get("schema");
  u.searchParams.delete("schema");
  return { url: u.toString(), schema: schema || null };
}

// The name goes into SQL and into the startup `options`, so only plain identifiers are allowed.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Limits that keep a stalled database from hanging requests (config `database.*`, in ms). */
export interface PostgresLimits {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  keepAlive: boolean;
  poolMax: number;
}

export const DEFAULT_POSTGRES_LIMITS: PostgresLimits = {
  connectTimeoutMs: 2000, queryTimeoutMs: 5000, statementTimeoutMs: 4000, idleInTransactionTimeoutMs: 3000, keepAlive: true, poolMax: 10,
};

/** The pool every adapter method uses, with its limits applied; exported for tests. */
export function createPostgresPool(url: string, options: { schema?: string; limits?: Partial<PostgresLimits> } = {}): { pool: pg.Pool; schema: string | null; limits: PostgresLimits } {
  const split = splitSchema(url);
  const schema = options.schema ?? split.schema;
  if (schema !== null && !IDENTIFIER.test(schema)) throw new Error(`database schema ${JSON.stringify(schema)}: use letters, digits and _`);
  const limits = { ...DEFAULT_POSTGRES_LIMITS, ...options.limits };
  const pool = new pg.Pool({
    connectionString: split.url,
    max: limits.poolMax,
    // Without these a frozen or unreachable server hangs every request for as long as it lasts
    // (issue 11 §3). connectionTimeoutMillis bounds both a new connection and the wait for a
    // pooled one; query_timeout is the client's own bound on an answer (pg then drops the
    // connection); statement_timeout and idle_in_transaction_session_timeout make the server give
    // up first, so it rolls back rather than committing work for a client that stopped waiting.
    connectionTimeoutMillis: limits.connectTimeoutMs,
    query_timeout: limits.queryTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    keepAlive: limits.keepAlive,
    keepAliveInitialDelayMillis: 10_000,
    // Set at connection start, so every pooled connection (and every query on it) sees the schema.
    ...(schema !== null ? { options: `-c search_path=${schema}` } : {}),
  });
  // A pooled idle connection the server drops is discarded by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on("error", (err) => console.error(`gatehouse: postgres connection lost: ${err.message}`));
  // The pool listens for errors only on idle connections. One that breaks while checked out (a
  // transaction, between two queries) would emit 'error' with no listener and crash the process
  // (found by the fault suite: PostgreSQL cut under load). The failure still reaches the caller:
  // the running or next query on that connection fails, and it is released as broken.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return { pool, schema, limits };
}

export function openPostgres(url: string, options: { schema?: string; limits?: Partial<PostgresLimits> } = {}): Storage {
  const { pool: raw, schema, limits } = createPostgresPool(url, options);
  // Every query goes through the NUL guard (nul-guard.ts); migrations, pings and pool stats use the pool itself.
  // Queries join an open Storage.atomic scope (atomic.ts).
  const pool = scopedPool(guardPool(raw));

  const stores = translateErrors({
    ...postgresStores(pool),
    ...postgresAdminStores(pool),
    ...postgresAccountStores(pool),
    ...profileStores(postgresPlanRunner(pool), postgresRoles),
    importer: importStore(postgresPlanRunner(pool), postgresRoles),
    ...postgresIdentityStores(pool),
    ...postgresPasskeyStores(pool),
    ...postgresOobStores(pool),
    ...deviceKeyStores(postgresPlanRunner(pool), { true: "TRUE", false: "FALSE" }),
    cascades: postgresCascades(pool),
    ...settingsSurfaceStores(postgresPlanRunner(pool)),
    ...postgresHookStores(pool),
  }, fromPostgresError);
  const atomic = postgresAtomic(pool);
  return {
    ...stores,
    atomic: (fn) => atomic(fn).catch((err: unknown) => { throw fromPostgresError(err); }),
    migrate: () => migrate(raw, schema),
    async ping(timeoutMs = 1000): Promise<void> {
      // Bounded twice: the wait for a connection (connectionTimeoutMillis) and the answer.
      try {
        // pg reads query_timeout from the query config too; @types/pg does not declare it.
        await raw.query({ text: "SELECT 1", query_timeout: timeoutMs } as pg.QueryConfig);
      } catch (err) {
        throw fromPostgresError(err);
      }
    },
    poolStats: () => ({ total: raw.totalCount, idle: raw.idleCount, waiting: raw.waitingCount, max: limits.poolMax }),
    async close(): Promise<void> {
      await raw.end();
    },
  };
}

// Migrations may build indexes on large tables and wait for another node's lock: the request
// limits above do not apply to them. Their connection is discarded afterwards, so the lifted
// limits never reach a request.
const MIGRATION_QUERY_TIMEOUT_MS = 24 * 3600 * 1000;

async function migrate(pool: pg.Pool, schema: string | null): Promise<void> {
  const pooled = await pool.connect();
  const client = {
    query: (text: string, values?: unknown[]) => pooled.query({ text, values, query_timeout: MIGRATION_QUERY_TIMEOUT_MS } as pg.QueryConfig),
  };
  let broken: Error | undefined = new Error("migration connection retired");
  try {
    await client.query("SET statement_timeout = 0");
    await client.query("SET idle_in_transaction_session_timeout = 0");
    // A session-level advisory lock, held across all migrations: a second node starting at the
    // same time waits here, then finds everything applied. Keyed by schema, so separate schemas
    // on one database (tests, tenants) do not wait on each other.
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [`gatehouse:migrate:${schema ?? ""}`]);
    try {
      if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      const done = new Set((await client.query("SELECT version FROM schema_migrations")).rows.map((r: { version: number }) => r.version));
      for (const m of postgresMigrations) {
        if (done.has(m.version)) continue;
        // Each migration commits on its own, so a failure leaves the earlier ones applied.
        try {
          await client.query("BEGIN");
          await client.query(m.sql);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, Math.floor(Date.now() / 1000)]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch((e: Error) => { broken = e; });
          throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`gatehouse:migrate:${schema ?? ""}`]).catch((e: Error) => { broken = e; });
    }
  } finally {
    // Always discarded (see above), which also drops the lock if unlocking failed.
    pooled.release(broken);
  }
}
