// PostgreSQL adapter of the passkey ports: the identity and its credential in one transaction, the
// counter by compare-and-set, a challenge taken out with DELETE … RETURNING (single use).
import type pg from "pg";
import type { PasskeyStorage } from "../passkey-ports.ts";
import { PASSKEY_COLUMNS, passkeyValues, toChallenge, toPasskey } from "../passkey-rows.ts";
import { IDENTITY_COLUMNS, identityValues } from "../identity-rows.ts";
import { transaction } from "./transaction.ts";

const numbered = (n: number): string => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(", ");
const INSERT_IDENTITY = `INSERT INTO identities (${IDENTITY_COLUMNS.join(", ")}) VALUES (${numbered(IDENTITY_COLUMNS.length)})`;
const INSERT_CREDENTIAL = `INSERT INTO passkey_credentials (${PASSKEY_COLUMNS.join(", ")}) VALUES (${numbered(PASSKEY_COLUMNS.length)})`;

export function postgresPasskeyStores(pool: pg.Pool): PasskeyStorage {
  return {
    passkeys: {
      async add(identity, credential) {
        try {
          await transaction(pool, async (client) => {
            await client.query(INSERT_IDENTITY, identityValues(identity));
            await client.query(INSERT_CREDENTIAL, passkeyValues(credential));
          });
          return true;
        } catch (err) {
          if ((err as { code?: string }).code === "23505") return false;
          throw err;
        }
      },
      async listByUser(userId) {
        return (await pool.query("SELECT * FROM passkey_credentials WHERE user_id = $1 ORDER BY created_at, id", [userId])).rows.map(toPasskey);
      },
      async findByCredentialId(credentialId) {
        const r = (await pool.query("SELECT * FROM passkey_credentials WHERE credential_id = $1", [credentialId])).rows[0];
        return r ? toPasskey(r) : null;
      },
      async recordUse(id, o) {
        const r = await pool.query("UPDATE passkey_credentials SET sign_count = $1, last_used_at = $2, updated_at = $2 WHERE id = $3 AND sign_count = $4", [o.newCount, o.at, id, o.expectedCount]);
        return (r.rowCount ?? 0) > 0;
      },
      async remove(userId, identityId) {
        const r = await pool.query("DELETE FROM identities WHERE id = $1 AND user_id = $2 AND type = 'passkey'", [identityId, userId]);
        return (r.rowCount ?? 0) > 0;
      },
    },
    passkeyChallenges: {
      async put(c) {
        await pool.query("INSERT INTO passkey_challenges (challenge_hash, purpose, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
          [c.challengeHash, c.purpose, c.userId, c.createdAt, c.expiresAt]);
      },
      async consume(hash, purpose, at) {
        const r = (await pool.query("DELETE FROM passkey_challenges WHERE challenge_hash = $1 AND purpose = $2 AND expires_at > $3 RETURNING *", [hash, purpose, at])).rows[0];
        return r ? toChallenge(r) : null;
      },
      async deleteExpired(before) {
        return (await pool.query("DELETE FROM passkey_challenges WHERE expires_at < $1", [before])).rowCount ?? 0;
      },
    },
  };
}
