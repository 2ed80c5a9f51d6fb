// The settings surface's stores, written once as plans (plan.ts) so SQLite and PostgreSQL run the
// same statements. Single-use reads are one DELETE/UPDATE … RETURNING: two racing requests cannot
// both win.
import { all, run, type Plan } from "./plan.ts";
import type { Row } from "./rows.ts";
import type { AccountDeletionRow, AppSessionTokenRow, SettingsActionRow, SettingsSurfaceStorage } from "./settings-surface-ports.ts";

type RunPlan = <T>(plan: () => Plan<T>, options?: { read?: boolean }) => T | Promise<T>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const toToken = (r: Row): AppSessionTokenRow => ({
  tokenHash: String(r.token_hash), offlineGrantId: String(r.offline_grant_id), userId: String(r.user_id), createdAt: num(r.created_at), expiresAt: num(r.expires_at),
});
const toAction = (r: Row): SettingsActionRow => ({
  id: String(r.id), clientId: String(r.client_id), userId: String(r.user_id), action: String(r.action), redirectUri: String(r.redirect_uri),
  state: strOrNull(r.state), codeChallenge: strOrNull(r.code_challenge), providerAlias: strOrNull(r.provider_alias), createdAt: num(r.created_at), expiresAt: num(r.expires_at),
  codeHash: strOrNull(r.code_hash), codeExpiresAt: numOrNull(r.code_expires_at), usedAt: numOrNull(r.used_at),
});
const toDeletion = (r: Row): AccountDeletionRow => ({
  userId: String(r.user_id), deleteAt: num(r.delete_at), scheduledAt: num(r.scheduled_at), byAdmin: num(r.by_admin) === 1, reason: String(r.reason),
});

function* first<T>(sql: string, args: unknown[], map: (r: Row) => T): Plan<T | null> {
  const rows: Row[] = yield all(sql, args);
  return rows[0] ? map(rows[0]) : null;
}
function* count(sql: string, args: unknown[]): Plan<number> {
  return (yield run(sql, args)) as number;
}

export function settingsSurfaceStores(runPlan: RunPlan): SettingsSurfaceStorage {
  const go = async <T>(plan: () => Plan<T>, read = false): Promise<T> => runPlan(plan, { read });
  return {
    appSessionTokens: {
      async create(t) {
        await go(() => count("INSERT INTO app_session_tokens (token_hash, offline_grant_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
          [t.tokenHash, t.offlineGrantId, t.userId, t.createdAt, t.expiresAt]));
      },
      take: (hash, now) => go(() => first("DELETE FROM app_session_tokens WHERE token_hash = $1 AND expires_at > $2 RETURNING *", [hash, now], toToken)),
      deleteExpired: (before) => go(() => count("DELETE FROM app_session_tokens WHERE expires_at < $1", [before])),
    },
    settingsActions: {
      async create(a) {
        await go(() => count(
          `INSERT INTO settings_actions (id, client_id, user_id, action, redirect_uri, state, code_challenge, provider_alias, created_at, expires_at, code_hash, code_expires_at, used_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, NULL, NULL)`,
          [a.id, a.clientId, a.userId, a.action, a.redirectUri, a.state, a.codeChallenge, a.providerAlias, a.createdAt, a.expiresAt]));
      },
      get: (id) => go(() => first("SELECT * FROM settings_actions WHERE id = $1", [id], toAction), true),
      complete: async (id, userId, o) => (await go(() => count(
        "UPDATE settings_actions SET code_hash = $1, code_expires_at = $2 WHERE id = $3 AND user_id = $4 AND code_hash IS NULL AND expires_at > $5",
        [o.codeHash, o.codeExpiresAt, id, userId, o.now]))) === 1,
      getByCode: (hash) => go(() => first("SELECT * FROM settings_actions WHERE code_hash = $1", [hash], toAction), true),
      redeem: (hash, now) => go(() => first(
        "UPDATE settings_actions SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND code_expires_at > $2 RETURNING *", [hash, now], toAction)),
      // A finished action's row outlives its page by its code's life; both are short.
      deleteExpired: (before) => go(() => count("DELETE FROM settings_actions WHERE expires_at < $1 AND (code_expires_at IS NULL OR code_expires_at < $1)", [before])),
    },
    accountDeletions: {
      schedule: async (d) => (await go(() => count(
        // Only for an existing user, once: ON CONFLICT keeps the first schedule.
        `INSERT INTO account_deletions (user_id, delete_at, scheduled_at, by_admin, reason)
         SELECT id, $2, $3, $4, $5 FROM users WHERE id = $1 ON CONFLICT (user_id) DO NOTHING`,
        [d.userId, d.deleteAt, d.scheduledAt, d.byAdmin ? 1 : 0, d.reason]))) === 1,
      get: (userId) => go(() => first("SELECT * FROM account_deletions WHERE user_id = $1", [userId], toDeletion), true),
      unschedule: async (userId) => (await go(() => count("DELETE FROM account_deletions WHERE user_id = $1", [userId]))) === 1,
      due: (now, limit) => go(function* () {
        const rows: Row[] = yield all("SELECT * FROM account_deletions WHERE delete_at <= $1 ORDER BY delete_at, user_id LIMIT $2", [now, limit]);
        return rows.map(toDeletion);
      }, true),
    },
  };
}
