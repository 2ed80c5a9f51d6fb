// The device-key ports for both adapters: plans (plan.ts) run by the adapter's plan runner, which
// gives each writing plan one transaction (IMMEDIATE on SQLite).
import type { DeviceKey, DeviceKeyStorage, DeviceKeyType, OneTimeToken, OneTimeTokenPurpose } from "./device-key-ports.ts";
import { all, run, type Plan } from "./plan.ts";
import type { Row } from "./rows.ts";

type RunPlan = <T>(plan: () => Plan<T>, options?: { read?: boolean }) => T | Promise<T>;

export const DEVICE_KEY_COLUMNS = "id, user_id, type, key_id, jwk, device_info, created_at, last_used_at";
const COLUMNS = DEVICE_KEY_COLUMNS;

/** A key's row values, in DEVICE_KEY_COLUMNS order (the bulk import writes the same rows). */
export function deviceKeyValues(k: DeviceKey): unknown[] {
  return [k.id, k.userId, k.type, k.keyId, k.jwk === null ? null : JSON.stringify(k.jwk), JSON.stringify(k.deviceInfo), k.createdAt, k.lastUsedAt];
}

function toKey(r: Row): DeviceKey {
  return {
    id: String(r.id), userId: String(r.user_id), type: String(r.type) as DeviceKeyType,
    keyId: r.key_id === null ? null : String(r.key_id), jwk: r.jwk === null ? null : JSON.parse(String(r.jwk)),
    deviceInfo: JSON.parse(String(r.device_info)) as Record<string, unknown>, createdAt: Number(r.created_at), lastUsedAt: Number(r.last_used_at),
  };
}

function toToken(r: Row): OneTimeToken {
  return {
    tokenHash: String(r.token_hash), purpose: String(r.purpose) as OneTimeTokenPurpose,
    userId: r.user_id === null ? null : String(r.user_id), expiresAt: Number(r.expires_at),
    data: r.data === null || r.data === undefined ? null : (JSON.parse(String(r.data)) as Record<string, unknown>),
  };
}

function* one<T>(sql: string, args: unknown[], map: (r: Row) => T): Plan<T | null> {
  const rows: Row[] = yield all(sql, args);
  return rows.length > 0 ? map(rows[0]) : null;
}

/** `bool`: how the dialect writes a boolean literal in users.is_anonymous (0/1 in SQLite). */
export function deviceKeyStores(runPlan: RunPlan, dialect: { true: string; false: string }): DeviceKeyStorage {
  const exec = async <T>(plan: () => Plan<T>, options?: { read?: boolean }): Promise<T> => runPlan(plan, options);
  return {
    deviceKeys: {
      create: (k) => exec(function* () {
        const n: number = yield run(
          `INSERT INTO device_keys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          deviceKeyValues(k),
        );
        return n === 1;
      }),
      findByKeyId: (type, keyId) => exec(() => one(`SELECT ${COLUMNS} FROM device_keys WHERE type = $1 AND key_id = $2`, [type, keyId], toKey), { read: true }),
      listByUser: (userId) => exec(function* () {
        const rows: Row[] = yield all(`SELECT ${COLUMNS} FROM device_keys WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
        return rows.map(toKey);
      }, { read: true }),
      delete: (userId, id) => exec(function* () {
        return ((yield run("DELETE FROM device_keys WHERE user_id = $1 AND id = $2", [userId, id])) as number) === 1;
      }),
      touch: (id, at) => exec(function* () {
        yield run("UPDATE device_keys SET last_used_at = $1 WHERE id = $2 AND last_used_at < $1", [at, id]);
      }),
      promote: (userId, at) => exec(function* () {
        const n: number = yield run(`UPDATE users SET is_anonymous = ${dialect.false}, updated_at = $1 WHERE id = $2 AND is_anonymous = ${dialect.true}`, [at, userId]);
        if (n !== 1) return false;
        yield run("DELETE FROM device_keys WHERE user_id = $1 AND type = 'anonymous'", [userId]);
        return true;
      }),
      staleAnonymousUsers: (before, limit) => exec(function* () {
        const rows: Row[] = yield all(
          `SELECT u.id FROM users u WHERE u.is_anonymous = ${dialect.true} AND u.created_at < $1
             AND NOT EXISTS (SELECT 1 FROM device_keys k WHERE k.user_id = u.id AND k.last_used_at >= $1)
             AND NOT EXISTS (SELECT 1 FROM offline_grants g WHERE g.user_id = u.id AND g.revoked_at IS NULL AND g.last_accessed_at >= $1)
             AND NOT EXISTS (SELECT 1 FROM idp_sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.last_accessed_at >= $1)
           ORDER BY u.created_at LIMIT $2`,
          [before, limit],
        );
        return rows.map((r) => String(r.id));
      }, { read: true }),
    },
    deviceSecrets: {
      set: (grantId, hash, at) => exec(function* () {
        yield run(
          "INSERT INTO device_secrets (grant_id, secret_hash, updated_at) VALUES ($1, $2, $3) ON CONFLICT (grant_id) DO UPDATE SET secret_hash = excluded.secret_hash, updated_at = excluded.updated_at",
          [grantId, hash, at],
        );
      }),
      get: (grantId) => exec(() => one("SELECT secret_hash FROM device_secrets WHERE grant_id = $1", [grantId], (r) => String(r.secret_hash)), { read: true }),
    },
    oneTimeTokens: {
      create: (t) => exec(function* () {
        yield run("INSERT INTO one_time_tokens (token_hash, purpose, user_id, data, expires_at) VALUES ($1, $2, $3, $4, $5)", [t.tokenHash, t.purpose, t.userId, t.data === undefined || t.data === null ? null : JSON.stringify(t.data), t.expiresAt]);
      }),
      get: (hash, at) => exec(() => one("SELECT token_hash, purpose, user_id, data, expires_at FROM one_time_tokens WHERE token_hash = $1 AND expires_at > $2", [hash, at], toToken), { read: true }),
      // DELETE … RETURNING: of two concurrent consumers exactly one gets the row (both dialects).
      consume: (hash, at) => exec(function* () {
        const rows: Row[] = yield all("DELETE FROM one_time_tokens WHERE token_hash = $1 RETURNING token_hash, purpose, user_id, data, expires_at", [hash]);
        if (rows.length === 0) return null;
        const token = toToken(rows[0]);
        return token.expiresAt > at ? token : null;
      }),
      deleteExpired: (before) => exec(function* () {
        return (yield run("DELETE FROM one_time_tokens WHERE expires_at < $1", [before])) as number;
      }),
    },
  };
}

/** Migration 13: device keys and one-time tokens (challenges, promotion codes). */
export const deviceKeysMigration = (opts: { bigint: string }): string => `
CREATE TABLE device_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  key_id TEXT,
  jwk TEXT,
  device_info TEXT NOT NULL DEFAULT '{}',
  created_at ${opts.bigint} NOT NULL,
  last_used_at ${opts.bigint} NOT NULL
);
CREATE UNIQUE INDEX device_keys_key ON device_keys (type, key_id);
CREATE INDEX device_keys_user ON device_keys (user_id, created_at);
CREATE TABLE one_time_tokens (
  token_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  data TEXT,
  expires_at ${opts.bigint} NOT NULL
);
CREATE INDEX one_time_tokens_expires ON one_time_tokens (expires_at);
CREATE TABLE device_secrets (
  grant_id TEXT PRIMARY KEY REFERENCES offline_grants(id) ON DELETE CASCADE,
  secret_hash TEXT NOT NULL,
  updated_at ${opts.bigint} NOT NULL
);
CREATE INDEX users_anonymous ON users (is_anonymous, created_at);
`;
