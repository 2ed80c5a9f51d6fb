// Storage.atomic on PostgreSQL: one pooled connection in one transaction for the whole scope. The
// stores get a pool whose query() runs on that connection while a scope is open, and transaction()
// (transaction.ts) nests as a SAVEPOINT there: a store that catches its own failure (a taken email)
// rolls back only its part, as it would alone.
import type pg from "pg";
import { openScope, runAfterCommit, runInScope, type Scope } from "../atomic.ts";
import { transaction } from "./transaction.ts";

/** The pool the stores use: queries join the open scope, if any. */
export function scopedPool(pool: pg.Pool): pg.Pool {
  const proxy: pg.Pool = new Proxy(pool, {
    get(target, prop) {
      if (prop === "query") {
        return (...args: unknown[]) => {
          const scope = openScope<pg.PoolClient>(proxy);
          return ((scope?.tx ?? target).query as (...a: unknown[]) => unknown)(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return proxy;
}

export function postgresAtomic(pool: pg.Pool) {
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (openScope(pool)) return fn();
    const scope: Scope<pg.PoolClient | null> = { owner: pool, tx: null, afterCommit: [] };
    const result = await transaction(pool, (client) => {
      scope.tx = client;
      return runInScope(scope, fn);
    });
    runAfterCommit(scope as Scope<unknown>);
    return result;
  };
}
