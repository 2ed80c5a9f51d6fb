import type Database from "better-sqlite3";
import type { AdminStorage } from "../admin-ports.ts";
import { auditListQuery, auditPage, userListQuery, userPage, toAdminKey, toRevocation, toUser, type Row } from "../rows.ts";

export function sqliteAdminStores(db: Database.Database): AdminStorage {
  // Statements are prepared once and reused: preparing is a large share of a small query's cost.
  const prepared = new Map<string, Database.Statement>();
  const q = (sql: string): Database.Statement => {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    userDirectory: {
      async list(options) {
        const { sql, args } = userListQuery(options, () => "?");
        return userPage((q(sql).all(...args) as Row[]).map(toUser), options.limit);
      },
      async byIds(ids) {
        if (ids.length === 0) return [];
        // One statement per list length; json_each keeps it to one: the ids travel as a JSON array.
        return (q("SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(ids)) as Row[]).map(toUser);
      },
    },
    adminKeys: {
      async create(k) {
        q("INSERT INTO admin_keys (id, name, secret_hash, created_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)").run(k.id, k.name, k.secretHash, k.createdAt, k.lastUsedAt, k.revokedAt);
      },
      async get(id) {
        const r = q("SELECT * FROM admin_keys WHERE id = ?").get(id) as Row | undefined;
        return r ? toAdminKey(r) : null;
      },
      async list() {
        return (q("SELECT * FROM admin_keys ORDER BY created_at, id").all() as Row[]).map(toAdminKey);
      },
      async revoke(id, at) {
        return q("UPDATE admin_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(at, id).changes > 0;
      },
      async touch(id, at, notBefore) {
        q("UPDATE admin_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)").run(at, id, notBefore);
      },
    },
    auditLog: {
      async append(e) {
        q("INSERT INTO audit_log (at, actor, action, target_type, target_id, details) VALUES (?, ?, ?, ?, ?, ?)").run(e.at, e.actor, e.action, e.targetType, e.targetId, JSON.stringify(e.details));
      },
      async list(options) {
        const { sql, args } = auditListQuery(options, () => "?");
        return auditPage(q(sql).all(...args) as Row[], options.limit);
      },
    },
    clientSettings: {
      async all() {
        const rows = q("SELECT client_id, settings FROM client_settings").all() as { client_id: string; settings: string }[];
        return Object.fromEntries(rows.map((r) => [r.client_id, JSON.parse(r.settings) as Record<string, unknown>]));
      },
      async put(clientId, settings, at) {
        q("INSERT INTO client_settings (client_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at").run(clientId, JSON.stringify(settings), at);
      },
    },
    revocations: {
      async append(e) {
        return Number(q("INSERT INTO revocations (kind, id, at, expires_at) VALUES (?, ?, ?, ?)").run(e.kind, e.id, e.at, e.expiresAt).lastInsertRowid);
      },
      async since(after, limit) {
        return (q("SELECT * FROM revocations WHERE seq > ? ORDER BY seq LIMIT ?").all(after, limit) as Row[]).map(toRevocation);
      },
      async latestSeq() {
        const r = q("SELECT MAX(seq) AS seq FROM revocations").get() as { seq: number | null };
        return r.seq ?? 0;
      },
      async deleteExpired(before) {
        return q("DELETE FROM revocations WHERE expires_at < ?").run(before).changes;
      },
    },
  };
}
