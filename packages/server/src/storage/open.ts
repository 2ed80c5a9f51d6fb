import type { Storage } from "./ports.ts";
import type { Config } from "../config/schema.ts";

/**
 * Opens the store named by `database.url`: `sqlite:PATH` (embedded default) or `postgres://…`.
 * Each adapter is loaded only when used, so an SQLite install never loads pg and vice versa.
 * Pass the whole `database` config section to apply its timeouts; a bare URL gets the defaults.
 */
export async function openStorage(database: string | Config["database"]): Promise<Storage> {
  const url = typeof database === "string" ? database : database.url;
  if (url.startsWith("sqlite:")) {
    const { openSqlite } = await import("./sqlite/index.ts");
    return openSqlite(url.slice("sqlite:".length) || ":memory:");
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    const { openPostgres } = await import("./postgres/index.ts");
    if (typeof database === "string") return openPostgres(url);
    return openPostgres(url, {
      limits: {
        connectTimeoutMs: database.connect_timeout_ms,
        queryTimeoutMs: database.query_timeout_ms,
        statementTimeoutMs: database.statement_timeout_ms,
        idleInTransactionTimeoutMs: database.idle_in_transaction_timeout_ms,
        keepAlive: database.keepalive,
        poolMax: database.pool_max,
      },
    });
  }
  throw new Error(`database.url: unsupported scheme ${JSON.stringify(url.split(":")[0])} (use sqlite: or postgres://)`);
}
