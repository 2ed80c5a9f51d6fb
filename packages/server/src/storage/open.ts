import type { Storage } from "./ports.ts";

/**
 * Opens the store named by `database.url`: `sqlite:PATH` (embedded default) or `postgres://…`.
 * Each adapter is loaded only when used, so an SQLite install never loads pg and vice versa.
 */
export async function openStorage(url: string): Promise<Storage> {
  if (url.startsWith("sqlite:")) {
    const { openSqlite } = await import("./sqlite/index.ts");
    return openSqlite(url.slice("sqlite:".length) || ":memory:");
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    const { openPostgres } = await import("./postgres/index.ts");
    return openPostgres(url);
  }
  throw new Error(`database.url: unsupported scheme ${JSON.stringify(url.split(":")[0])} (use sqlite: or postgres://)`);
}
