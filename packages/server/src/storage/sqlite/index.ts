// Embedded default: SQLite through better-sqlite3 (synchronous, so each port method is one
// prepared statement or one transaction, wrapped in a resolved promise).
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Storage } from "../ports.ts";
import { fromSqliteError, translateErrors } from "../errors.ts";
import { sqliteMigrations } from "../schema-sql.ts";
import { sqliteStores } from "./stores.ts";
import { sqliteAdminStores } from "./admin-stores.ts";
import { sqliteAccountStores } from "./account-stores.ts";
import { sqliteCascades } from "./cascades.ts";
import { profileStores } from "../profile-stores.ts";
import { importStore } from "../import-plans.ts";
import { sqlitePlanRunner } from "../plan.ts";
import { sqliteRoles } from "../roles-sql.ts";
import type { ProfileStorage } from "../profile-ports.ts";
import type { SettingsSurfaceStorage } from "../settings-surface-ports.ts";
import type { ImportStore } from "../import-ports.ts";
import { sqliteIdentityStores } from "./identity-stores.ts";
import { settingsSurfaceStores } from "../settings-surface-stores.ts";
import { sqlitePasskeyStores } from "./passkey-stores.ts";
import { sqliteOobStores } from "./oob-stores.ts";
import { deviceKeyStores } from "../device-key-stores.ts";
import type { DeviceKeyStorage } from "../device-key-ports.ts";
import { sqliteHookStores } from "./hook-stores.ts";
import { sqliteAtomic } from "./atomic.ts";

export function openSqlite(path: string, options: { busyTimeoutMs?: number } = {}): Storage {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  // Another process (a CLI command) holding the write lock longer than this: SQLITE_BUSY, a 503.
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  type Stores = ReturnType<typeof sqliteStores> & ReturnType<typeof sqliteAdminStores> & ReturnType<typeof sqliteAccountStores> & ProfileStorage
    & ReturnType<typeof sqliteIdentityStores> & { cascades: ReturnType<typeof sqliteCascades>; importer: ImportStore } & SettingsSurfaceStorage & ReturnType<typeof sqlitePasskeyStores> & ReturnType<typeof sqliteOobStores> & DeviceKeyStorage & ReturnType<typeof sqliteHookStores>;
  // Storage.atomic scopes (atomic.ts): the gate makes callers outside an open scope wait for it.
  const scopes = sqliteAtomic(db);
  let stores: Stores | null = null;
  const ready = (): Stores => {
    // SQLITE_BUSY/FULL/IOERR/READONLY become StorageUnavailableError (503), not a 500 with nothing logged.
    stores ??= scopes.gate(translateErrors({
      ...sqliteStores(db), ...sqliteAdminStores(db), ...sqliteAccountStores(db), ...profileStores(sqlitePlanRunner(db), sqliteRoles),
      ...sqliteIdentityStores(db), cascades: sqliteCascades(db),
      importer: importStore(sqlitePlanRunner(db), sqliteRoles),
      ...settingsSurfaceStores(sqlitePlanRunner(db)),
      ...sqlitePasskeyStores(db),
      ...sqliteOobStores(db),
      ...deviceKeyStores(sqlitePlanRunner(db), { true: "1", false: "0" }),
      ...sqliteHookStores(db),
    }, fromSqliteError));
    return stores;
  };
  // Stores prepare their statements when first used, after migrate() has created the tables: until
  // then each port is a stand-in that builds the real stores on first access. migrate() swaps the
  // real ones in, so the hot paths never go through the stand-in.
  const lazy = <K extends keyof Stores>(key: K): Stores[K] =>
    new Proxy({} as Stores[K], { get: (_t, prop) => (ready()[key] as unknown as Record<PropertyKey, unknown>)[prop] });
  const keys = [
    "users", "passwords", "sessions", "offlineGrants", "cascades", "codes", "authFlows", "signingKeys", "userDirectory", "adminKeys",
    "auditLog", "clientSettings", "revocations", "oneTimeCodes", "totp", "recoveryCodes", "pendingLogins", "lockouts", "outbox", "passwordHistory",
    "identities", "roles", "groups", "assignments", "userSearch",
    "importer",
    "appSessionTokens", "settingsActions", "accountDeletions",
    "passkeys", "passkeyChallenges",
    "oobCodes", "oobAuthenticators",
    "deviceKeys", "deviceSecrets", "oneTimeTokens",
    "hookEvents",
  ] as const satisfies readonly (keyof Stores)[];
  const storage = {
    ...(Object.fromEntries(keys.map((k) => [k, lazy(k)])) as unknown as Stores),
    async migrate(): Promise<void> {
      db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      const done = new Set((db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
      for (const m of sqliteMigrations) {
        if (done.has(m.version)) continue;
        // PRAGMA foreign_keys is a no-op inside a transaction: switched off before, on again after.
        if (m.rebuildsTables) db.pragma("foreign_keys = OFF");
        try {
          db.transaction(() => {
            db.exec(m.sql);
            if (m.rebuildsTables) {
              const broken = db.pragma("foreign_key_check") as unknown[];
              if (broken.length > 0) throw new Error(`migration ${m.version} (${m.name}) left ${broken.length} dangling foreign keys`);
            }
            db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, Math.floor(Date.now() / 1000));
          })();
        } finally {
          if (m.rebuildsTables) db.pragma("foreign_keys = ON");
        }
      }
      Object.assign(storage, ready());
    },
    async atomic<T>(fn: () => Promise<T>): Promise<T> {
      try {
        return await scopes.atomic(fn);
      } catch (err) {
        throw fromSqliteError(err);
      }
    },
    async ping(): Promise<void> {
      // In-process and synchronous: nothing to time out. Fails if the file became unreadable.
      try {
        db.prepare("SELECT 1").get();
      } catch (err) {
        throw fromSqliteError(err);
      }
    },
    // No pool: one connection, used synchronously.
    poolStats: () => null,
    async close(): Promise<void> {
      db.close();
    },
  };
  return storage;
}
