// Defence in depth for text PostgreSQL cannot hold. Its text type has no U+0000: a NUL in any
// parameter makes the server fail the statement ("invalid byte sequence for encoding UTF8: 0x00"),
// which surfaced as a 500 wherever a hostile value slipped past the features' own checks
// (input/text.ts, input/ids.ts). Here, before a statement leaves:
//  - a read (SELECT) with a NUL parameter answers "no rows" without asking. That is exact, not a
//    guess: no stored value can contain NUL, so nothing can equal or contain one, and it is what
//    SQLite answers for the same lookup. Callers then say "not found"/"expired" as for any miss.
//  - any other statement with a NUL parameter fails with UnstorableTextError (statusCode 400, so
//    the HTTP error handler answers "malformed request"): the adapter cannot tell a WHERE key from
//    a value to store, and dropping or rewriting the character would store something else.
import type pg from "pg";

export class UnstorableTextError extends Error {
  readonly statusCode = 400;
  readonly code = "GH_UNSTORABLE_TEXT";
  constructor() {
    super("a text value contains a NUL character, which the database cannot store");
    this.name = "UnstorableTextError";
  }
}

function holdsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(holdsNul);
  return false;
}

const READ = /^\s*(?:select|with)\b/i;
const NO_ROWS = { rows: [], rowCount: 0, command: "SELECT", oid: 0, fields: [] };

type Query = (sql: unknown, args?: unknown) => Promise<unknown>;

function guardQuery(query: Query): Query {
  return (sql, args) => {
    if (typeof sql === "string" && Array.isArray(args) && args.some(holdsNul)) {
      return READ.test(sql) ? Promise.resolve({ ...NO_ROWS, rows: [] }) : Promise.reject(new UnstorableTextError());
    }
    return query(sql, args);
  };
}

/** Wraps `target` so that its query() is guarded; other members are the target's own. */
function guarded<T extends object>(target: T, extra: Partial<Record<PropertyKey, unknown>> = {}): T {
  const query = guardQuery((target as unknown as { query: Query }).query.bind(target));
  return new Proxy(target, {
    get(t, prop) {
      if (prop === "query") return query;
      if (prop in extra) return extra[prop as string];
      const value = Reflect.get(t, prop, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

/** The pool the stores use: query() guarded, and so is every client connect() hands out. */
export function guardPool(pool: pg.Pool): pg.Pool {
  const connect = async (): Promise<pg.PoolClient> => guarded(await pool.connect());
  return guarded(pool, { connect });
}
