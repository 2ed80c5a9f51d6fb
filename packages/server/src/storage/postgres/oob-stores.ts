// PostgreSQL adapter of the oob_otp ports: each method is one statement (atomic on its own; the
// row lock an UPDATE takes makes concurrent guesses re-check the cap).
import type pg from "pg";
import type { OobStorage } from "../oob-ports.ts";
import { OOB_CODE_COLUMNS } from "../schema-oob.ts";
import { oobCodeValues, toOobAuthenticator, toOobCode } from "../oob-rows.ts";

type Row = Record<string, unknown>;

export function postgresOobStores(pool: pg.Pool): OobStorage {
  const one = async (sql: string, args: unknown[]): Promise<Row | null> => ((await pool.query(sql, args)).rows[0] as Row | undefined) ?? null;
  const changed = async (sql: string, args: unknown[]): Promise<number> => (await pool.query(sql, args)).rowCount ?? 0;
  return {
    oobCodes: {
      async put(c) {
        await pool.query(`INSERT INTO oob_otp_codes (${OOB_CODE_COLUMNS.join(", ")}) VALUES (${OOB_CODE_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})
          ON CONFLICT (code_key) DO UPDATE SET ${OOB_CODE_COLUMNS.slice(1).map((col) => `${col} = EXCLUDED.${col}`).join(", ")}`, oobCodeValues(c));
      },
      async get(key) {
        const r = await one("SELECT * FROM oob_otp_codes WHERE code_key = $1", [key]);
        return r ? toOobCode(r) : null;
      },
      async reserveAttempt(key, o) {
        const r = await one(`UPDATE oob_otp_codes SET failed_attempts = failed_attempts + 1
          WHERE code_key = $1 AND consumed_at IS NULL AND expires_at > $2 AND failed_attempts < $3 RETURNING *`, [key, o.at, o.cap]);
        return r ? toOobCode(r) : null;
      },
      async consume(key, o) {
        return (await changed("UPDATE oob_otp_codes SET consumed_at = $1 WHERE code_key = $2 AND code_hash = $3 AND consumed_at IS NULL AND expires_at > $1", [o.at, key, o.expectedHash])) > 0;
      },
      async approveLink(hash, at) {
        const r = await one(`UPDATE oob_otp_codes SET approved_at = $1
          WHERE link_token_hash = $2 AND approved_at IS NULL AND consumed_at IS NULL AND expires_at > $1 RETURNING *`, [at, hash]);
        return r ? toOobCode(r) : null;
      },
      async consumeApproved(key, o) {
        return (await changed(`UPDATE oob_otp_codes SET consumed_at = $1
          WHERE code_key = $2 AND pending_id = $3 AND approved_at IS NOT NULL AND consumed_at IS NULL AND expires_at > $1`, [o.at, key, o.pendingId])) > 0;
      },
      async deleteExpired(before) {
        return changed("DELETE FROM oob_otp_codes WHERE expires_at < $1", [before]);
      },
    },
    oobAuthenticators: {
      async add(a) {
        return (await changed(`INSERT INTO oob_authenticators (id, user_id, kind, channel, target, created_at) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (user_id, kind, channel, target) DO NOTHING`, [a.id, a.userId, a.kind, a.channel, a.target, a.createdAt])) > 0;
      },
      async listByUser(userId) {
        return (await pool.query("SELECT * FROM oob_authenticators WHERE user_id = $1 ORDER BY created_at, id", [userId])).rows.map(toOobAuthenticator);
      },
      async delete(userId, id) {
        return (await changed("DELETE FROM oob_authenticators WHERE user_id = $1 AND id = $2", [userId, id])) > 0;
      },
    },
  };
}
