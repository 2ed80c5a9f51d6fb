// Storage.atomic(fn): the store calls made inside `fn` (and only those) commit together or not at
// all. It exists for the webhook outbox (issue #16): an event is written in the same transaction as
// the change it describes, so a crash right after the change loses no event and a rolled-back change
// sends none. The adapters find the open scope through AsyncLocalStorage, so the stores' methods
// join it without taking a transaction argument.
//
// Inside `fn` do storage calls only: on SQLite every other caller waits for the scope to close, and on
// PostgreSQL it holds a connection (and its row locks) until it returns.
import { AsyncLocalStorage } from "node:async_hooks";

export interface Scope<Tx> {
  /** The adapter that opened it (several Storages may live in one process: tests, two nodes). */
  owner: object;
  tx: Tx;
  afterCommit: (() => void)[];
}

const scopes = new AsyncLocalStorage<Scope<unknown>>();

/** The scope `owner` opened around the running code, if any. */
export function openScope<Tx>(owner: object): Scope<Tx> | null {
  const s = scopes.getStore();
  return s !== undefined && s.owner === owner ? (s as Scope<Tx>) : null;
}

export function runInScope<T, Tx>(scope: Scope<Tx>, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope as Scope<unknown>, fn);
}

/** Whether the running code is inside any adapter's scope (emitEvent refuses to run outside one). */
export function insideAnyScope(): boolean {
  return scopes.getStore() !== undefined;
}

/** Runs `cb` once the scope around the caller commits (never if it rolls back); at once outside one. */
export function afterCommit(cb: () => void): void {
  const s = scopes.getStore();
  if (s) s.afterCommit.push(cb);
  else cb();
}

export function runAfterCommit(scope: Scope<unknown>): void {
  for (const cb of scope.afterCommit) {
    try {
      cb();
    } catch {
      // A listener's failure must not turn a committed change into a reported failure.
    }
  }
}
