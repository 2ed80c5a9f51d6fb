import type pg from "pg";
import { transaction } from "./transaction.ts";
import type { AdminStorage } from "../admin-ports.ts";
import { auditListQuery, auditPage, userListQuery, userPage, toAdminKey, toRevocation, toUser, type Row } from "../rows.ts";

export const REVOCATION_LOG_LOCK = 0x7265766f6b; // "revok"

export function postgresAdminStores(pool: pg.Pool): AdminStorage {
  const rows = async (sql: string, args: unknown[] = []): Promise<Row[]> => (await pool.query(sql, args)).rows as Row[];
  const one = async (sql: string, args: unknown[] = []): Promise<Row | null> => (await rows(sql, args))[0] ?? null;
  return {
    userDirectory: {
      async list(options) {
        const { sql, args } = userListQuery(options, (n) => `$${n}`);
        return userPage((await rows(sql, args)).map(toUser), options.limit);
      },
      async byIds(ids) {
        if (ids.length === 0) return [];
        return (await rows("SELECT * FROM users WHERE id = ANY($1::text[])", [ids])).map(toUser);
      },
    },
    adminKeys: {
      async create(k) {
        await pool.query("INSERT INTO admin_keys (id, name, secret_hash, created_at, last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)", [k.id, k.name, k.secretHash, k.createdAt, k.lastUsedAt, k.revokedAt]);
      },
      async get(id) {
        const r = await one("SELECT * FROM admin_keys WHERE id = $1", [id]);
        return r ? toAdminKey(r) : null;
      },
      async list() {
        return (await rows("SELECT * FROM admin_keys ORDER BY created_at, id")).map(toAdminKey);
      },
      async revoke(id, at) {
        return ((await pool.query("UPDATE admin_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", [at, id])).rowCount ?? 0) > 0;
      },
      async touch(id, at, notBefore) {
        await pool.query("UPDATE admin_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)", [at, id, notBefore]);
      },
    },
    auditLog: {
      async append(e) {
        await pool.query("INSERT INTO audit_log (at, actor, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6)", [e.at, e.actor, e.action, e.targetType, e.targetId, JSON.stringify(e.details)]);
      },
      async list(options) {
        const { sql, args } = auditListQuery(options, (n) => `$${n}`);
        return auditPage(await rows(sql, args), options.limit);
      },
    },
    clientSettings: {
      async all() {
        const found = await rows("SELECT client_id, settings FROM client_settings");
        return Object.fromEntries(found.map((r) => [String(r.client_id), JSON.parse(String(r.settings)) as Record<string, unknown>]));
      },
      async put(clientId, settings, at) {
        await pool.query("INSERT INTO client_settings (client_id, settings, updated_at) VALUES ($1, $2, $3) ON CONFLICT (client_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at", [clientId, JSON.stringify(settings), at]);
      },
    },
    revocations: {
      async append(e) {
        // Readers follow the log by seq. Concurrent BIGSERIAL inserts can commit out of order, and a
        // reader past seq n would never see a smaller n committed later; so appends take a lock that
        // is held until commit, making seq order commit order. Revocations are rare; this costs nothing.
        return transaction(pool, async (client) => {
          await client.query("SELECT pg_advisory_xact_lock($1)", [REVOCATION_LOG_LOCK]);
          const r = await client.query("INSERT INTO revocations (kind, id, at, expires_at) VALUES ($1, $2, $3, $4) RETURNING seq", [e.kind, e.id, e.at, e.expiresAt]);
          return Number(r.rows[0].seq);
        });
      },
      async since(after, limit) {
        return (await rows("SELECT * FROM revocations WHERE seq > $1 ORDER BY seq LIMIT $2", [after, limit])).map(toRevocation);
      },
      async latestSeq() {
        return Number((await one("SELECT COALESCE(MAX(seq), 0) AS seq FROM revocations"))!.seq);
      },
      async deleteExpired(before) {
        return (await pool.query("DELETE FROM revocations WHERE expires_at < $1", [before])).rowCount ?? 0;
      },
    },
  };
}
