// SQLite adapter of the account ports. better-sqlite3 is synchronous, so each read-modify-write
// runs in one (IMMEDIATE) transaction and is atomic against other connections to the same file.
import type Database from "better-sqlite3";
import type { AccountStorage, OneTimeCodeStore, PendingLoginStore, TotpStore } from "../account-ports.ts";
import type { LockoutRecord } from "../../domain/account.ts";
import {
  ONE_TIME_CODE_COLUMNS, PENDING_LOGIN_COLUMNS, oneTimeCodeValues, pendingLoginValues, toLockoutRecord, toOneTimeCode,
  toOutboxMessage, toPendingLogin, toTotp, type Row,
} from "../account-rows.ts";

const insertSql = (table: string, cols: readonly string[]): string =>
  `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`;

/** "Among the user's `size` newest history entries" (the user id and size bound after the caller's own). */
const NEWEST_IDS_SQLITE = "id IN (SELECT id FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?)";

export function sqliteAccountStores(db: Database.Database): AccountStorage {
  const q = (sql: string) => db.prepare(sql);

  const oneTimeCodes: OneTimeCodeStore = {
    async put(c) {
      q(`${insertSql("one_time_codes", ONE_TIME_CODE_COLUMNS)} ON CONFLICT (purpose, user_id) DO UPDATE SET ${ONE_TIME_CODE_COLUMNS.slice(2).map((col) => `${col} = excluded.${col}`).join(", ")}`)
        .run(...oneTimeCodeValues(c));
    },
    async get(purpose, userId) {
      const r = q("SELECT * FROM one_time_codes WHERE purpose = ? AND user_id = ?").get(purpose, userId) as Row | undefined;
      return r ? toOneTimeCode(r) : null;
    },
    async findByLinkToken(purpose, hash) {
      const r = q("SELECT * FROM one_time_codes WHERE purpose = ? AND link_token_hash = ?").get(purpose, hash) as Row | undefined;
      return r ? toOneTimeCode(r) : null;
    },
    async reserveAttempt(purpose, userId, o) {
      const r = q(`UPDATE one_time_codes SET failed_attempts = failed_attempts + 1
        WHERE purpose = ? AND user_id = ? AND consumed_at IS NULL AND expires_at > ? AND failed_attempts < ? RETURNING *`)
        .get(purpose, userId, o.at, o.cap) as Row | undefined;
      return r ? toOneTimeCode(r) : null;
    },
    async consume(purpose, userId, o) {
      const sql = o.nextLinkTokenHash !== undefined
        ? "UPDATE one_time_codes SET code_hash = NULL, link_token_hash = ? WHERE purpose = ? AND user_id = ? AND consumed_at IS NULL AND (code_hash = ? OR link_token_hash = ?)"
        : "UPDATE one_time_codes SET code_hash = NULL, link_token_hash = NULL, consumed_at = ? WHERE purpose = ? AND user_id = ? AND consumed_at IS NULL AND (code_hash = ? OR link_token_hash = ?)";
      return q(sql).run(o.nextLinkTokenHash ?? o.at, purpose, userId, o.expectedHash, o.expectedHash).changes > 0;
    },
    async deleteExpired(before) {
      return q("DELETE FROM one_time_codes WHERE expires_at < ?").run(before).changes;
    },
  };

  const totp: TotpStore = {
    async get(userId) {
      const r = q("SELECT * FROM totp_authenticators WHERE user_id = ?").get(userId) as Row | undefined;
      return r ? toTotp(r) : null;
    },
    async putPending(t) {
      return q(`INSERT INTO totp_authenticators (user_id, secret, created_at, confirmed_at, last_used_step) VALUES (?, ?, ?, NULL, 0)
        ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at WHERE totp_authenticators.confirmed_at IS NULL`)
        .run(t.userId, t.secret, t.createdAt).changes > 0;
    },
    async confirm(userId, secret, at, step) {
      return q("UPDATE totp_authenticators SET confirmed_at = ?, last_used_step = ? WHERE user_id = ? AND secret = ? AND confirmed_at IS NULL").run(at, step, userId, secret).changes > 0;
    },
    async markUsed(userId, step) {
      return q("UPDATE totp_authenticators SET last_used_step = ? WHERE user_id = ? AND last_used_step < ? AND confirmed_at IS NOT NULL").run(step, userId, step).changes > 0;
    },
    async delete(userId) {
      return q("DELETE FROM totp_authenticators WHERE user_id = ?").run(userId).changes > 0;
    },
  };

  const replaceCodes = db.transaction((userId: string, hashes: string[], at: number) => {
    q("DELETE FROM recovery_codes WHERE user_id = ?").run(userId);
    const insert = q("INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) VALUES (?, ?, ?, NULL)");
    for (const h of hashes) insert.run(userId, h, at);
  });

  const pendingLogins: PendingLoginStore = {
    async create(p) {
      q(insertSql("pending_logins", PENDING_LOGIN_COLUMNS)).run(...pendingLoginValues(p));
    },
    async get(id) {
      const r = q("SELECT * FROM pending_logins WHERE id = ?").get(id) as Row | undefined;
      return r ? toPendingLogin(r) : null;
    },
    async advance(id, from, to, at) {
      const where = "WHERE id = ? AND stage = ? AND consumed_at IS NULL AND expires_at > ?";
      return (to
        ? q(`UPDATE pending_logins SET stage = ?, amr = ? ${where}`).run(to.stage, JSON.stringify(to.amr), id, from, at)
        : q(`UPDATE pending_logins SET consumed_at = ? ${where}`).run(at, id, from, at)).changes > 0;
    },
    async deleteExpired(before) {
      return q("DELETE FROM pending_logins WHERE expires_at < ?").run(before).changes;
    },
  };

  const updateLockout = db.transaction((key: string, change: (r: LockoutRecord | null) => LockoutRecord | null): LockoutRecord | null => {
    const row = q("SELECT record FROM lockouts WHERE lock_key = ?").get(key) as Row | undefined;
    const next = change(row ? toLockoutRecord(row) : null);
    if (next === null) q("DELETE FROM lockouts WHERE lock_key = ?").run(key);
    else {
      const expiresAt = Math.max(next.expiresAt, ...Object.values(next.lockedUntil));
      q("INSERT INTO lockouts (lock_key, record, expires_at) VALUES (?, ?, ?) ON CONFLICT (lock_key) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at")
        .run(key, JSON.stringify(next), expiresAt);
    }
    return next;
  });

  return {
    oneTimeCodes,
    totp,
    recoveryCodes: {
      async replace(userId, hashes, at) {
        replaceCodes.immediate(userId, hashes, at);
      },
      async consume(userId, hash, at) {
        return q("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL").run(at, userId, hash).changes > 0;
      },
      async countUnused(userId) {
        return (q("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL").get(userId) as { n: number }).n;
      },
      async deleteAll(userId) {
        q("DELETE FROM recovery_codes WHERE user_id = ?").run(userId);
      },
    },
    pendingLogins,
    lockouts: {
      async update(key, change) {
        return updateLockout.immediate(key, change);
      },
      async deleteExpired(before) {
        return q("DELETE FROM lockouts WHERE expires_at < ?").run(before).changes;
      },
    },
    outbox: {
      async append(m) {
        q("INSERT INTO outbox (to_address, subject, text_body, html_body, created_at) VALUES (?, ?, ?, ?, ?)").run(m.to, m.subject, m.text, m.html, m.createdAt);
      },
      async list(limit) {
        return (q("SELECT * FROM outbox ORDER BY id DESC LIMIT ?").all(limit) as Row[]).map(toOutboxMessage);
      },
      async deleteOlderThan(before) {
        return q("DELETE FROM outbox WHERE created_at < ?").run(before).changes;
      },
    },
    passwordHistory: {
      async add(userId, hash, at) {
        q("INSERT INTO password_history (user_id, hash, created_at) VALUES (?, ?, ?)").run(userId, hash, at);
      },
      async recent(userId, w) {
        return (q(`SELECT hash FROM password_history WHERE user_id = ? AND (created_at >= ? OR ${NEWEST_IDS_SQLITE}) ORDER BY id DESC`).all(userId, w.since, userId, w.size) as { hash: string }[]).map((r) => r.hash);
      },
      async prune(userId, w) {
        return q(`DELETE FROM password_history WHERE user_id = ? AND created_at < ? AND NOT ${NEWEST_IDS_SQLITE}`).run(userId, w.since, userId, w.size).changes;
      },
    },
  };
}
