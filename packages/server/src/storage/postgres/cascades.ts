// PostgreSQL adapter of the revocation cascades. Each is one transaction of a handful of statements,
// however many rows it touches: the sessions and grants are revoked and their log events appended by
// ONE statement (data-modifying CTEs feeding INSERT … SELECT), so ending a user with thousands of
// sessions costs the same few round trips as ending one with none.
import type pg from "pg";
import { transaction } from "./transaction.ts";
import type { CascadeOptions, LoggedRevocation, RevocationCascadeStore } from "../ports.ts";
import { toUser, type Row } from "../rows.ts";
import { REVOCATION_LOG_LOCK } from "./admin-stores.ts";

/** Revokes the sessions and grants the two WHERE clauses pick ($1: subject, $2: at, $3: log expiry) and logs each. */
const cascadeSql = (sessions: string, grants: string): string => `
  WITH s AS (UPDATE idp_sessions SET revoked_at = $2 WHERE ${sessions} AND revoked_at IS NULL RETURNING id),
  g AS (UPDATE offline_grants SET revoked_at = $2 WHERE ${grants} AND revoked_at IS NULL RETURNING id),
  logged AS (
    INSERT INTO revocations (kind, id, at, expires_at)
    SELECT kind, sid, $2::bigint, $3::bigint FROM (
      SELECT 'session' AS kind, 'i.' || id AS sid FROM s UNION ALL SELECT 'grant', 'o.' || id FROM g
    ) revoked
    RETURNING seq, kind, id
  )
  SELECT kind, id FROM logged ORDER BY seq`;

// A grant takes the browser sessions opened from it with an app session token (parent_grant_id);
// a session takes its grants and, through them, those sessions too.
const BY_GRANT = cascadeSql("parent_grant_id = $1", "id = $1");
const BY_SESSION = cascadeSql("(id = $1 OR parent_grant_id IN (SELECT id FROM offline_grants WHERE idp_session_id = $1))", "idp_session_id = $1");
const BY_USER = cascadeSql("user_id = $1", "user_id = $1");
// "Everywhere else": the kept session ($4), the grants born from it and the app grant it was opened from live on.
const BY_USER_EXCEPT = cascadeSql(
  "user_id = $1 AND id <> $4",
  "user_id = $1 AND idp_session_id IS DISTINCT FROM $4 AND id IS DISTINCT FROM (SELECT parent_grant_id FROM idp_sessions WHERE id = $4)",
);
const LOG_USER = "INSERT INTO revocations (kind, id, at, expires_at) VALUES ('user', $1, $2, $3)";

export function postgresCascades(pool: pg.Pool): RevocationCascadeStore {
  /**
   * One transaction holding the revocation log's lock (see admin-stores.ts: seq order must be commit
   * order for readers following the log), through the adapter's one transaction helper.
   */
  const inTransaction = <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
    transaction(pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [REVOCATION_LOG_LOCK]);
      return fn(client);
    });
  const run = async (client: pg.PoolClient, sql: string, args: unknown[]): Promise<LoggedRevocation[]> =>
    (await client.query(sql, args)).rows.map((r: Row) => ({ kind: r.kind as LoggedRevocation["kind"], id: String(r.id) }));
  const ofUser = (client: pg.PoolClient, userId: string, o: CascadeOptions): Promise<LoggedRevocation[]> => run(client, BY_USER, [userId, o.at, o.logUntil]);
  const logUser = async (client: pg.PoolClient, userId: string, o: CascadeOptions): Promise<LoggedRevocation> => {
    await client.query(LOG_USER, [userId, o.at, o.logUntil]);
    return { kind: "user", id: userId };
  };

  return {
    revokeByGrant: (id, o) => inTransaction((c) => run(c, BY_GRANT, [id, o.at, o.logUntil])),
    revokeBySession: (id, o) => inTransaction((c) => run(c, BY_SESSION, [id, o.at, o.logUntil])),
    revokeByUser: (userId, o) => inTransaction((c) => o.exceptSessionId === undefined
      ? ofUser(c, userId, o)
      : run(c, BY_USER_EXCEPT, [userId, o.at, o.logUntil, o.exceptSessionId])),
    resetPassword: (userId, hash, o) => inTransaction(async (c) => {
      await c.query("INSERT INTO passwords (user_id, hash, updated_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET hash = EXCLUDED.hash, updated_at = EXCLUDED.updated_at", [userId, hash, o.at]);
      return ofUser(c, userId, o);
    }),
    disableUser: (userId, reason, o) => inTransaction(async (c) => {
      const row = (await c.query("UPDATE users SET disabled = TRUE, disabled_reason = $2, updated_at = $3 WHERE id = $1 RETURNING *", [userId, reason, o.at])).rows[0] as Row | undefined;
      return row ? { user: toUser(row), revoked: [await logUser(c, userId, o)] } : null;
    }),
    deleteUser: (userId, o) => inTransaction(async (c) => {
      // Locks the user first, so a session created meanwhile cannot slip in between the revoke and the delete.
      if ((await c.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [userId])).rowCount === 0) return null;
      const revoked = await ofUser(c, userId, o);
      await c.query("DELETE FROM users WHERE id = $1", [userId]);
      return [...revoked, await logUser(c, userId, o)];
    }),
  };
}
