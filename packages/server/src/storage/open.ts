import type { Storage } from "./ports.ts";
import { openSqlite } from "./sqlite/index.ts";
import { openPostgres } from "./postgres/index.ts";

/** Opens the store named by `database.url`: `sqlite:PATH` (embedded default) or `postgres://…`. */
export function openStorage(url: string): Storage {
  if (url.startsWith("sqlite:")) return openSqlite(url.slice("sqlite:".length) || ":memory:");
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return openPostgres(url);
  throw new Error(`database.url: unsupported scheme in ${JSON.stringify(url.split(":")[0])} (use sqlite: or postgres://)`);
}
