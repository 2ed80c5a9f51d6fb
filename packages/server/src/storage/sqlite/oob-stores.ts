// SQLite adapter of the oob_otp ports: each method is one statement (atomic on its own).
import type Database from "better-sqlite3";
import type { OobStorage } from "../oob-ports.ts";
import { OOB_CODE_COLUMNS } from "../schema-oob.ts";
import { oobCodeValues, toOobAuthenticator, toOobCode } from "../oob-rows.ts";

type Row = Record<string, unknown>;
const LIVE = "consumed_at IS NULL AND expires_at > ?";

export function sqliteOobStores(db: Database.Database): OobStorage {
  const q = (sql: string) => db.prepare(sql);
  return {
    oobCodes: {
      async put(c) {
        q(`INSERT INTO oob_otp_codes (${OOB_CODE_COLUMNS.join(", ")}) VALUES (${OOB_CODE_COLUMNS.map(() => "?").join(", ")})
          ON CONFLICT (code_key) DO UPDATE SET ${OOB_CODE_COLUMNS.slice(1).map((col) => `${col} = excluded.${col}`).join(", ")}`).run(...oobCodeValues(c));
      },
      async get(key) {
        const r = q("SELECT * FROM oob_otp_codes WHERE code_key = ?").get(key) as Row | undefined;
        return r ? toOobCode(r) : null;
      },
      async reserveAttempt(key, o) {
        const r = q(`UPDATE oob_otp_codes SET failed_attempts = failed_attempts + 1 WHERE code_key = ? AND ${LIVE} AND failed_attempts < ? RETURNING *`)
          .get(key, o.at, o.cap) as Row | undefined;
        return r ? toOobCode(r) : null;
      },
      async consume(key, o) {
        return q(`UPDATE oob_otp_codes SET consumed_at = ? WHERE code_key = ? AND code_hash = ? AND ${LIVE}`).run(o.at, key, o.expectedHash, o.at).changes > 0;
      },
      async approveLink(hash, at) {
        const r = q(`UPDATE oob_otp_codes SET approved_at = ? WHERE link_token_hash = ? AND approved_at IS NULL AND ${LIVE} RETURNING *`)
          .get(at, hash, at) as Row | undefined;
        return r ? toOobCode(r) : null;
      },
      async consumeApproved(key, o) {
        return q(`UPDATE oob_otp_codes SET consumed_at = ? WHERE code_key = ? AND pending_id = ? AND approved_at IS NOT NULL AND ${LIVE}`)
          .run(o.at, key, o.pendingId, o.at).changes > 0;
      },
      async deleteExpired(before) {
        return q("DELETE FROM oob_otp_codes WHERE expires_at < ?").run(before).changes;
      },
    },
    oobAuthenticators: {
      async add(a) {
        return q(`INSERT INTO oob_authenticators (id, user_id, kind, channel, target, created_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (user_id, kind, channel, target) DO NOTHING`).run(a.id, a.userId, a.kind, a.channel, a.target, a.createdAt).changes > 0;
      },
      async listByUser(userId) {
        return (q("SELECT * FROM oob_authenticators WHERE user_id = ? ORDER BY created_at, id").all(userId) as Row[]).map(toOobAuthenticator);
      },
      async delete(userId, id) {
        return q("DELETE FROM oob_authenticators WHERE user_id = ? AND id = ?").run(userId, id).changes > 0;
      },
    },
  };
}
