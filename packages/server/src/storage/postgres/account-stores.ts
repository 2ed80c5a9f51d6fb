// PostgreSQL adapter of the account ports. Single statements are atomic on their own; the lockout
// read-modify-write locks its row (SELECT … FOR UPDATE) inside a transaction, so concurrent
// reservations of an attempt (account/limits/guard.ts) queue up on it and each sees the last.
import type pg from "pg";
import { transaction } from "./transaction.ts";
import type { AccountStorage, OneTimeCodeStore, PendingLoginStore, TotpStore } from "../account-ports.ts";
import type { LockoutRecord } from "../../domain/account.ts";
import {
  ONE_TIME_CODE_COLUMNS, PENDING_LOGIN_COLUMNS, oneTimeCodeValues, pendingLoginValues, toLockoutRecord, toOneTimeCode,
  toOutboxMessage, toPendingLogin, toTotp, type Row,
} from "../account-rows.ts";

const placeholders = (n: number): string => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(", ");

/** "Among the user's `size` newest history entries": $1 is the user id, $3 the size. */
const NEWEST_IDS_PG = "id IN (SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $3)";

export function postgresAccountStores(pool: pg.Pool): AccountStorage {
  const rows = async (sql: string, args: unknown[] = []): Promise<Row[]> => (await pool.query(sql, args)).rows as Row[];
  const one = async (sql: string, args: unknown[] = []): Promise<Row | null> => (await rows(sql, args))[0] ?? null;
  const changed = async (sql: string, args: unknown[]): Promise<number> => (await pool.query(sql, args)).rowCount ?? 0;

  const oneTimeCodes: OneTimeCodeStore = {
    async put(c) {
      const cols = ONE_TIME_CODE_COLUMNS;
      await pool.query(
        `INSERT INTO one_time_codes (${cols.join(", ")}) VALUES (${placeholders(cols.length)})
         ON CONFLICT (purpose, user_id) DO UPDATE SET ${cols.slice(2).map((col) => `${col} = EXCLUDED.${col}`).join(", ")}`,
        oneTimeCodeValues(c),
      );
    },
    async get(purpose, userId) {
      const r = await one("SELECT * FROM one_time_codes WHERE purpose = $1 AND user_id = $2", [purpose, userId]);
      return r ? toOneTimeCode(r) : null;
    },
    async findByLinkToken(purpose, hash) {
      const r = await one("SELECT * FROM one_time_codes WHERE purpose = $1 AND link_token_hash = $2", [purpose, hash]);
      return r ? toOneTimeCode(r) : null;
    },
    async reserveAttempt(purpose, userId, o) {
      // One statement: the row lock taken by UPDATE makes concurrent guesses re-check the cap.
      const r = await one(`UPDATE one_time_codes SET failed_attempts = failed_attempts + 1
        WHERE purpose = $1 AND user_id = $2 AND consumed_at IS NULL AND expires_at > $3 AND failed_attempts < $4 RETURNING *`, [purpose, userId, o.at, o.cap]);
      return r ? toOneTimeCode(r) : null;
    },
    async consume(purpose, userId, o) {
      const match = "purpose = $2 AND user_id = $3 AND consumed_at IS NULL AND (code_hash = $4 OR link_token_hash = $4)";
      return (o.nextLinkTokenHash !== undefined
        ? await changed(`UPDATE one_time_codes SET code_hash = NULL, link_token_hash = $1 WHERE ${match}`, [o.nextLinkTokenHash, purpose, userId, o.expectedHash])
        : await changed(`UPDATE one_time_codes SET code_hash = NULL, link_token_hash = NULL, consumed_at = $1 WHERE ${match}`, [o.at, purpose, userId, o.expectedHash])) > 0;
    },
    async deleteExpired(before) {
      return changed("DELETE FROM one_time_codes WHERE expires_at < $1", [before]);
    },
  };

  const totp: TotpStore = {
    async get(userId) {
      const r = await one("SELECT * FROM totp_authenticators WHERE user_id = $1", [userId]);
      return r ? toTotp(r) : null;
    },
    async putPending(t) {
      return (await changed(
        `INSERT INTO totp_authenticators (user_id, secret, created_at, confirmed_at, last_used_step) VALUES ($1, $2, $3, NULL, 0)
         ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = EXCLUDED.created_at WHERE totp_authenticators.confirmed_at IS NULL`,
        [t.userId, t.secret, t.createdAt],
      )) > 0;
    },
    async confirm(userId, secret, at, step) {
      return (await changed("UPDATE totp_authenticators SET confirmed_at = $1, last_used_step = $2 WHERE user_id = $3 AND secret = $4 AND confirmed_at IS NULL", [at, step, userId, secret])) > 0;
    },
    async markUsed(userId, step) {
      return (await changed("UPDATE totp_authenticators SET last_used_step = $1 WHERE user_id = $2 AND last_used_step < $1 AND confirmed_at IS NOT NULL", [step, userId])) > 0;
    },
    async delete(userId) {
      return (await changed("DELETE FROM totp_authenticators WHERE user_id = $1", [userId])) > 0;
    },
  };

  const pendingLogins: PendingLoginStore = {
    async create(p) {
      await pool.query(`INSERT INTO pending_logins (${PENDING_LOGIN_COLUMNS.join(", ")}) VALUES (${placeholders(PENDING_LOGIN_COLUMNS.length)})`, pendingLoginValues(p));
    },
    async get(id) {
      const r = await one("SELECT * FROM pending_logins WHERE id = $1", [id]);
      return r ? toPendingLogin(r) : null;
    },
    async advance(id, from, to, at) {
      return (to
        ? await changed("UPDATE pending_logins SET stage = $1, amr = $2 WHERE id = $3 AND stage = $4 AND consumed_at IS NULL AND expires_at > $5", [to.stage, JSON.stringify(to.amr), id, from, at])
        : await changed("UPDATE pending_logins SET consumed_at = $1 WHERE id = $2 AND stage = $3 AND consumed_at IS NULL AND expires_at > $1", [at, id, from])) > 0;
    },
    async deleteExpired(before) {
      return changed("DELETE FROM pending_logins WHERE expires_at < $1", [before]);
    },
  };

  async function updateLockout(key: string, change: (r: LockoutRecord | null) => LockoutRecord | null): Promise<LockoutRecord | null> {
    return transaction(pool, async (client) => {
      // Make sure a row exists to lock, so two first failures cannot both start from nothing. The
      // row is never deleted here (a cleared record is stored as null and left to the sweep):
      // every waiter on the lock would find it gone and have to start again. Only the sweep can
      // still remove it between the two statements; then the next round inserts it afresh.
      let r: Row | undefined;
      for (let round = 0; !r; round++) {
        if (round === 10) throw new Error(`lockout record ${key}: could not lock its row`);
        await client.query("INSERT INTO lockouts (lock_key, record, expires_at) VALUES ($1, 'null', 0) ON CONFLICT (lock_key) DO NOTHING", [key]);
        r = (await client.query("SELECT record FROM lockouts WHERE lock_key = $1 FOR UPDATE", [key])).rows[0] as Row | undefined;
      }
      const current = toLockoutRecord(r);
      const next = change(current);
      const expiresAt = next === null ? 0 : Math.max(next.expiresAt, ...Object.values(next.lockedUntil));
      await client.query("UPDATE lockouts SET record = $2, expires_at = $3 WHERE lock_key = $1", [key, JSON.stringify(next), expiresAt]);
      return next;
    });
  }

  return {
    oneTimeCodes,
    totp,
    recoveryCodes: {
      async replace(userId, hashes, at) {
        return transaction(pool, async (client) => {
          await client.query("DELETE FROM recovery_codes WHERE user_id = $1", [userId]);
          for (const h of hashes) await client.query("INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) VALUES ($1, $2, $3, NULL)", [userId, h, at]);
        });
      },
      async consume(userId, hash, at) {
        return (await changed("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL", [at, userId, hash])) > 0;
      },
      async countUnused(userId) {
        return Number((await one("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", [userId]))!.n);
      },
      async deleteAll(userId) {
        await pool.query("DELETE FROM recovery_codes WHERE user_id = $1", [userId]);
      },
    },
    pendingLogins,
    lockouts: {
      update: updateLockout,
      async deleteExpired(before) {
        return changed("DELETE FROM lockouts WHERE expires_at < $1", [before]);
      },
    },
    outbox: {
      async append(m) {
        await pool.query("INSERT INTO outbox (to_address, subject, text_body, html_body, created_at) VALUES ($1, $2, $3, $4, $5)", [m.to, m.subject, m.text, m.html, m.createdAt]);
      },
      async list(limit) {
        return (await rows("SELECT * FROM outbox ORDER BY id DESC LIMIT $1", [limit])).map(toOutboxMessage);
      },
      async deleteOlderThan(before) {
        return changed("DELETE FROM outbox WHERE created_at < $1", [before]);
      },
    },
    passwordHistory: {
      async add(userId, hash, at) {
        await pool.query("INSERT INTO password_history (user_id, hash, created_at) VALUES ($1, $2, $3)", [userId, hash, at]);
      },
      async recent(userId, w) {
        return (await rows(`SELECT hash FROM password_history WHERE user_id = $1 AND (created_at >= $2 OR ${NEWEST_IDS_PG}) ORDER BY id DESC`, [userId, w.since, w.size])).map((r) => String(r.hash));
      },
      async prune(userId, w) {
        return changed(`DELETE FROM password_history WHERE user_id = $1 AND created_at < $2 AND NOT ${NEWEST_IDS_PG}`, [userId, w.since, w.size]);
      },
    },
  };
}
