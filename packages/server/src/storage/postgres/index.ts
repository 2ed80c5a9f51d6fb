// PostgreSQL adapter, for running several Gatehouse nodes on one database. One pg.Pool per
// Storage; `?schema=NAME` in the URL (or options.schema) keeps all tables in that schema.
import pg from "pg";
import type { Storage } from "../ports.ts";
import { postgresMigrations } from "../schema-sql.ts";
import { postgresStores } from "./stores.ts";
import { postgresAdminStores } from "./admin-stores.ts";
import { postgresAccountStores } from "./account-stores.ts";
import { guardPool } from "./nul-guard.ts";

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

export function openPostgres(url: string, options: { schema?: string } = {}): Storage {
  const split = splitSchema(url);
  const schema = options.schema ?? split.schema;
  if (schema !== null && !IDENTIFIER.test(schema)) throw new Error(`database schema ${JSON.stringify(schema)}: use letters, digits and _`);
  const pool = new pg.Pool({
    connectionString: split.url,
    max: 10,
    // Set at connection start, so every pooled connection (and every query on it) sees the schema.
    ...(schema !== null ? { options: `-c search_path=${schema}` } : {}),
  });
  // A pooled idle connection the server drops is discarded by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on("error", (err) => console.error(`gatehouse: postgres connection lost: ${err.message}`));

  const stores = guardPool(pool);
  return {
    ...postgresStores(stores),
    ...postgresAdminStores(stores),
    ...postgresAccountStores(stores),
    migrate: () => migrate(pool, schema),
    async close(): Promise<void> {
      await pool.end();
    },
  };
}

async function migrate(pool: pg.Pool, schema: string | null): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
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
    // A connection that could not roll back or unlock is discarded, which also drops its lock.
    client.release(broken);
  }
}
