// The one way the PostgreSQL adapter runs a transaction.
import type pg from "pg";
import { isStorageUnavailable } from "../errors.ts";
import { fromPostgresError } from "../errors.ts";
import { openScope } from "../atomic.ts";

let savepoints = 0;

/**
 * Runs `fn` in a transaction on one pooled connection. On failure it rolls back — unless the
 * connection itself is the problem (timed out, broken): then ROLLBACK would only wait out another
 * timeout, so the connection is dropped instead, and the server rolls back when it sees it go (or
 * when idle_in_transaction_session_timeout fires first). A connection that cannot roll back is
 * never handed back to the pool.
 */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  // Inside Storage.atomic (atomic.ts): a savepoint on the scope's connection, committed with it.
  const scope = openScope<pg.PoolClient>(pool);
  if (scope) return savepoint(scope.tx, fn);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    if (isStorageUnavailable(fromPostgresError(err))) broken = err as Error;
    else await client.query("ROLLBACK").catch((e: Error) => { broken = e; });
    throw err;
  } finally {
    client.release(broken);
  }
}

async function savepoint<T>(client: pg.PoolClient, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const name = `gh_sp_${++savepoints}`;
  await client.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(client);
    await client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (err) {
    if (!isStorageUnavailable(fromPostgresError(err))) await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw err;
  }
}
