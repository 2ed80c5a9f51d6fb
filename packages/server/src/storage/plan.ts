// A storage procedure written once for both adapters: a generator that yields each statement it
// needs and receives its result (rows for "all", the changed-row count for "run"). The SQLite
// adapter drives it synchronously inside one IMMEDIATE transaction, the PostgreSQL adapter inside
// one transaction on one connection — same statements, same order, same decisions.
import type Database from "better-sqlite3";
import type pg from "pg";
import { transaction } from "./postgres/transaction.ts";
import { REVOCATION_LOG_LOCK } from "./postgres/admin-stores.ts";
import type { Row } from "./rows.ts";

export interface Step {
  sql: string;
  args: unknown[];
  mode: "all" | "run";
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Plan<T> = Generator<Step, T, any>;

export const all = (sql: string, args: unknown[] = []): Step => ({ sql, args, mode: "all" });
export const run = (sql: string, args: unknown[] = []): Step => ({ sql, args, mode: "run" });

/** `$n` placeholders as better-sqlite3's named `@pn` (its numbered `?n` do not bind repeated uses). */
const sqliteSql = (sql: string): string => sql.replace(/\$(\d+)/g, "@p$1");
const sqliteArgs = (args: unknown[]): Record<string, unknown> => Object.fromEntries(args.map((a, i) => [`p${i + 1}`, a]));

/** Runs a plan on SQLite synchronously; call it inside a transaction when the plan writes. */
export function sqlitePlanDriver(db: Database.Database): <T>(plan: Plan<T>) => T {
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sqliteSql(sql))));
    return s;
  };
  const step = (s: Step): unknown => {
    const st = statement(s.sql);
    return s.mode === "run" ? st.run(sqliteArgs(s.args)).changes : st.all(sqliteArgs(s.args));
  };
  return <T>(g: Plan<T>): T => {
    let r = g.next();
    while (!r.done) r = g.next(step(r.value));
    return r.value;
  };
}

/** Runs a plan on one PostgreSQL connection (a transaction the caller holds). */
export async function drivePostgres<T>(client: Pick<pg.PoolClient, "query">, g: Plan<T>): Promise<T> {
  let r = g.next();
  while (!r.done) {
    const result = await client.query(r.value.sql, r.value.args);
    r = g.next(r.value.mode === "run" ? (result.rowCount ?? 0) : (result.rows as Row[]));
  }
  return r.value;
}

/** SQLite: each writing plan in its own IMMEDIATE transaction; `read` plans outside one (no write lock). */
export function sqlitePlanRunner(db: Database.Database): <T>(plan: () => Plan<T>, options?: { read?: boolean }) => T {
  const drive = sqlitePlanDriver(db);
  const inTransaction = db.transaction((plan: () => Plan<unknown>): unknown => drive(plan()));
  return <T>(plan: () => Plan<T>, options: { read?: boolean } = {}): T => (options.read ? drive(plan()) : inTransaction.immediate(plan) as T);
}

/**
 * PostgreSQL: each writing plan in its own transaction. `logs` plans append to the revocation log, so they
 * take its lock first (seq order must be commit order: postgres/admin-stores.ts).
 */
export function postgresPlanRunner(pool: pg.Pool): <T>(plan: () => Plan<T>, options?: { logs?: boolean; read?: boolean }) => Promise<T> {
  // A `read` plan runs its statements on the pool: no BEGIN/COMMIT round trips on the search path.
  return (plan, options = {}) => options.read ? drivePostgres(pool, plan()) : transaction(pool, async (client) => {
    if (options.logs) await client.query("SELECT pg_advisory_xact_lock($1)", [REVOCATION_LOG_LOCK]);
    return drivePostgres(client, plan());
  });
}
