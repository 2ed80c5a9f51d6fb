// The one way the PostgreSQL adapter runs a transaction.
import type pg from "pg";
import { isStorageUnavailable } from "../errors.ts";
import { fromPostgresError } from "../errors.ts";

/**
 * Runs `fn` in a transaction on one pooled connection. On failure it rolls back — unless the
 * connection itself is the problem (timed out, broken): then ROLLBACK would only wait out another
 * timeout, so the connection is dropped instead, and the server rolls back when it sees it go (or
 * when idle_in_transaction_session_timeout fires first). A connection that cannot roll back is
 * never handed back to the pool.
 */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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
