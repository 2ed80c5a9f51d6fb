// Storage.atomic on SQLite. better-sqlite3 has one connection, used synchronously; a scope spans
// awaits, so while it is open every store call from OUTSIDE it waits for it to close (else that call
// would run inside our transaction and share its fate). Calls inside it run at once; better-sqlite3
// turns the stores' own transactions into savepoints. Outside a scope the gate costs one comparison.
import type Database from "better-sqlite3";
import { openScope, runAfterCommit, runInScope, type Scope } from "../atomic.ts";

export function sqliteAtomic(db: Database.Database) {
  const owner = {};
  let open: { done: Promise<void> } | null = null;
  const blocked = (): boolean => open !== null && openScope(owner) === null;

  /** Wraps every method of every store so that it waits while another caller's scope is open. */
  function gate<T extends object>(stores: T): T {
    const out: Record<string, unknown> = {};
    for (const [name, port] of Object.entries(stores)) {
      if (typeof port !== "object" || port === null) {
        out[name] = port;
        continue;
      }
      const wrapped: Record<string, unknown> = {};
      for (const [method, fn] of Object.entries(port as Record<string, unknown>)) {
        if (typeof fn !== "function") {
          wrapped[method] = fn;
          continue;
        }
        const call = (args: unknown[]): unknown => (fn as (...a: unknown[]) => unknown).apply(port, args);
        wrapped[method] = (...args: unknown[]): unknown => {
          if (!blocked()) return call(args);
          return (async () => {
            while (blocked()) await open!.done;
            return call(args);
          })();
        };
      }
      out[name] = wrapped;
    }
    return out as T;
  }

  async function atomic<T>(fn: () => Promise<T>): Promise<T> {
    if (openScope(owner)) return fn();
    while (open) await open.done;
    let release!: () => void;
    open = { done: new Promise<void>((r) => { release = r; }) };
    const scope: Scope<null> = { owner, tx: null, afterCommit: [] };
    let result: T;
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        result = await runInScope(scope, fn);
      } catch (err) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw err;
      }
      db.exec("COMMIT");
    } finally {
      open = null;
      release();
    }
    runAfterCommit(scope as Scope<unknown>);
    return result;
  }

  return { gate, atomic };
}
