// SQLite adapter of the passkey ports: the identity and its credential in one transaction, the
// counter by compare-and-set, a challenge taken out with DELETE … RETURNING (single use).
import type Database from "better-sqlite3";
import type { PasskeyStorage } from "../passkey-ports.ts";
import { PASSKEY_COLUMNS, passkeyValues, toChallenge, toPasskey } from "../passkey-rows.ts";
import { IDENTITY_COLUMNS, identityValues } from "../identity-rows.ts";
import type { Row } from "../rows.ts";

const isUniqueViolation = (err: unknown): boolean => (err as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE";
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

export function sqlitePasskeyStores(db: Database.Database): PasskeyStorage {
  const insertIdentity = db.prepare(`INSERT INTO identities (${IDENTITY_COLUMNS.join(", ")}) VALUES (${placeholders(IDENTITY_COLUMNS.length)})`);
  const insertCredential = db.prepare(`INSERT INTO passkey_credentials (${PASSKEY_COLUMNS.join(", ")}) VALUES (${placeholders(PASSKEY_COLUMNS.length)})`);
  const addBoth = db.transaction((identity: Parameters<PasskeyStorage["passkeys"]["add"]>[0], credential: Parameters<PasskeyStorage["passkeys"]["add"]>[1]) => {
    insertIdentity.run(...identityValues(identity));
    insertCredential.run(...passkeyValues(credential));
  });
  const byUser = db.prepare("SELECT * FROM passkey_credentials WHERE user_id = ? ORDER BY created_at, id");
  const byCredential = db.prepare("SELECT * FROM passkey_credentials WHERE credential_id = ?");
  const recordUse = db.prepare("UPDATE passkey_credentials SET sign_count = ?, last_used_at = ?, updated_at = ? WHERE id = ? AND sign_count = ?");
  const remove = db.prepare("DELETE FROM identities WHERE id = ? AND user_id = ? AND type = 'passkey'");
  const putChallenge = db.prepare("INSERT INTO passkey_challenges (challenge_hash, purpose, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
  const consume = db.prepare("DELETE FROM passkey_challenges WHERE challenge_hash = ? AND purpose = ? AND expires_at > ? RETURNING *");
  const expired = db.prepare("DELETE FROM passkey_challenges WHERE expires_at < ?");

  return {
    passkeys: {
      async add(identity, credential) {
        try {
          addBoth(identity, credential);
          return true;
        } catch (err) {
          if (isUniqueViolation(err)) return false;
          throw err;
        }
      },
      async listByUser(userId) {
        return (byUser.all(userId) as Row[]).map(toPasskey);
      },
      async findByCredentialId(credentialId) {
        const r = byCredential.get(credentialId) as Row | undefined;
        return r ? toPasskey(r) : null;
      },
      async recordUse(id, o) {
        return recordUse.run(o.newCount, o.at, o.at, id, o.expectedCount).changes > 0;
      },
      async remove(userId, identityId) {
        return remove.run(identityId, userId).changes > 0;
      },
    },
    passkeyChallenges: {
      async put(c) {
        putChallenge.run(c.challengeHash, c.purpose, c.userId, c.createdAt, c.expiresAt);
      },
      async consume(hash, purpose, at) {
        const r = consume.get(hash, purpose, at) as Row | undefined;
        return r ? toChallenge(r) : null;
      },
      async deleteExpired(before) {
        return expired.run(before).changes;
      },
    },
  };
}
