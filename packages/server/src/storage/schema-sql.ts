import { postgresProfile, profileMigration, sqliteProfile } from "./schema-profile.ts";
import { settingsSurface } from "./schema-settings-surface.ts";
import { dpopMigration } from "./schema-dpop.ts";
import { passkeysMigration } from "./schema-passkeys.ts";
import { oobOtpMigration } from "./schema-oob.ts";
import { deviceKeysMigration } from "./device-key-stores.ts";
import { hookOutbox } from "./schema-hooks.ts";

// Schema migrations, one list per dialect. Append only: a migration that has shipped is never edited.
// Arrays (scopes, amr, roles) are JSON text in both dialects so rows map the same way.

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * SQLite only: run with foreign keys off (set outside the transaction, as SQLite requires) and
   * checked with foreign_key_check before commit. A table rebuild needs it: with foreign keys on,
   * dropping the old table would cascade-delete every row that references it.
   */
  rebuildsTables?: boolean;
}

const core = (opts: { bigint: string; bool: string; falseValue: string }): string => `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  is_verified ${opts.bool} NOT NULL DEFAULT ${opts.falseValue},
  is_anonymous ${opts.bool} NOT NULL DEFAULT ${opts.falseValue},
  disabled ${opts.bool} NOT NULL DEFAULT ${opts.falseValue},
  disabled_reason TEXT,
  roles TEXT NOT NULL DEFAULT '[]',
  created_at ${opts.bigint} NOT NULL,
  updated_at ${opts.bigint} NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE TABLE passwords (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  updated_at ${opts.bigint} NOT NULL
);
CREATE TABLE idp_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  amr TEXT NOT NULL,
  authenticated_at ${opts.bigint} NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  last_accessed_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  revoked_at ${opts.bigint}
);
CREATE INDEX idp_sessions_user ON idp_sessions (user_id);
CREATE TABLE offline_grants (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  idp_session_id TEXT,
  scopes TEXT NOT NULL,
  amr TEXT NOT NULL,
  authenticated_at ${opts.bigint} NOT NULL,
  token_hash TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  last_accessed_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  revoked_at ${opts.bigint}
);
CREATE INDEX offline_grants_user ON offline_grants (user_id);
CREATE INDEX offline_grants_session ON offline_grants (idp_session_id);
CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  idp_session_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  nonce TEXT,
  code_challenge TEXT,
  code_challenge_method TEXT,
  authenticated_at ${opts.bigint} NOT NULL,
  amr TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL,
  used_at ${opts.bigint},
  issued_grant_id TEXT
);
CREATE INDEX authorization_codes_expires ON authorization_codes (expires_at);
CREATE TABLE auth_flows (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  params TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL
);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  private_jwk TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  rotated_at ${opts.bigint},
  retired_at ${opts.bigint}
);
`;

const admin = (opts: { bigint: string; serial: string }): string => `
CREATE INDEX users_created ON users (created_at, id);
CREATE TABLE admin_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  last_used_at ${opts.bigint},
  revoked_at ${opts.bigint}
);
CREATE TABLE audit_log (
  id ${opts.serial},
  at ${opts.bigint} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  details TEXT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target_id, id);
CREATE TABLE client_settings (
  client_id TEXT PRIMARY KEY,
  settings TEXT NOT NULL,
  updated_at ${opts.bigint} NOT NULL
);
CREATE TABLE revocations (
  seq ${opts.serial},
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL
);
`;

// Account features (issue #5): emailed codes, TOTP, recovery codes, pending logins, lockouts, outbox.
const accounts = (opts: { bigint: string; serial: string }): string => `
CREATE TABLE one_time_codes (
  purpose TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  target TEXT NOT NULL,
  code_hash TEXT,
  link_token_hash TEXT,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL,
  consumed_at ${opts.bigint},
  PRIMARY KEY (purpose, user_id)
);
CREATE INDEX one_time_codes_link ON one_time_codes (link_token_hash);
CREATE INDEX one_time_codes_expires ON one_time_codes (expires_at);
CREATE TABLE totp_authenticators (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  confirmed_at ${opts.bigint},
  last_used_step ${opts.bigint} NOT NULL DEFAULT 0
);
CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  used_at ${opts.bigint},
  PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE pending_logins (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  flow_id TEXT,
  stage TEXT NOT NULL,
  amr TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL,
  consumed_at ${opts.bigint}
);
CREATE INDEX pending_logins_expires ON pending_logins (expires_at);
CREATE TABLE lockouts (
  lock_key TEXT PRIMARY KEY,
  record TEXT NOT NULL,
  expires_at ${opts.bigint} NOT NULL
);
CREATE TABLE outbox (
  id ${opts.serial},
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL
);
`;

// Refresh-token reuse detection (issue #11): what the last rotation replaced, when, and the salt that
// derived the current secret from the replaced one (so a retry of the replaced token within the
// grace window is answered with the same successor, and a reuse after it is told from a forgery).
const refreshRotation = (opts: { bigint: string }): string => `
ALTER TABLE offline_grants ADD COLUMN previous_token_hash TEXT;
ALTER TABLE offline_grants ADD COLUMN rotated_at ${opts.bigint};
ALTER TABLE offline_grants ADD COLUMN rotation_salt TEXT;
`;

// The sweeper (maintenance/sweeper.ts) deletes expired and ended rows by these columns.
const sweeping = `
CREATE INDEX auth_flows_expires ON auth_flows (expires_at);
CREATE INDEX idp_sessions_expires ON idp_sessions (expires_at);
CREATE INDEX idp_sessions_revoked ON idp_sessions (revoked_at);
CREATE INDEX offline_grants_expires ON offline_grants (expires_at);
CREATE INDEX offline_grants_revoked ON offline_grants (revoked_at);
CREATE INDEX outbox_created ON outbox (created_at);
`;

// Identities (issue #13): login IDs (email, phone, username), OAuth accounts and passkeys. A user
// may have no email, so users.email becomes nullable; it stays as the user's primary email,
// derived from an email login ID, so code that reads it keeps working. Every existing user gets
// the email login ID their email already was (key and type `email`, as Authgear's default config).
const identitiesTable = (opts: { bigint: string }): string => `
CREATE TABLE identities (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  login_id_key TEXT,
  login_id_type TEXT,
  login_id TEXT,
  original_login_id TEXT,
  provider_alias TEXT,
  provider_subject TEXT,
  claims TEXT NOT NULL DEFAULT '{}',
  created_at ${opts.bigint} NOT NULL,
  updated_at ${opts.bigint} NOT NULL
);
CREATE UNIQUE INDEX identities_login_id ON identities (login_id_key, login_id);
CREATE UNIQUE INDEX identities_provider ON identities (provider_alias, provider_subject);
CREATE INDEX identities_user ON identities (user_id, created_at);
`;

const USER_COLUMN_LIST = "id, email, is_verified, is_anonymous, disabled, disabled_reason, roles, created_at, updated_at";

// SQLite cannot drop NOT NULL: the users table is rebuilt (runs with foreign keys off, see
// rebuildsTables) and its indexes from migrations 1 and 2 made again. Identity ids are random
// version-4 UUIDs, like the ids the code makes.
const sqliteIdentities = `
CREATE TABLE users_new (
  id TEXT PRIMARY KEY,
  email TEXT,
  is_verified INTEGER NOT NULL DEFAULT 0,
  is_anonymous INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  disabled_reason TEXT,
  roles TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO users_new (${USER_COLUMN_LIST}) SELECT ${USER_COLUMN_LIST} FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_created ON users (created_at, id);
${identitiesTable({ bigint: "INTEGER" })}
INSERT INTO identities (id, user_id, type, login_id_key, login_id_type, login_id, original_login_id, claims, created_at, updated_at)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
    || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
  id, 'login_id', 'email', 'email', email, email, json_object('email', email), created_at, updated_at
FROM users WHERE email IS NOT NULL;
`;

const postgresIdentities = `
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
${identitiesTable({ bigint: "BIGINT" })}
INSERT INTO identities (id, user_id, type, login_id_key, login_id_type, login_id, original_login_id, claims, created_at, updated_at)
SELECT gen_random_uuid()::text, id, 'login_id', 'email', 'email', email, email, json_build_object('email', email)::text, created_at, updated_at
FROM users WHERE email IS NOT NULL;
`;

// Sessions made by SSO-off logins (x_sso_enabled=false), which no browser holds (domain/session.ts):
// an integer 0/1 in both dialects, only ever read through rows.ts bool(). And the password hashes
// Authgear's history_size/history_days compare a new password with (kept only while those are on).
const pagesAndHistory = (opts: { bigint: string; serial: string }): string => `
ALTER TABLE idp_sessions ADD COLUMN cookieless INTEGER NOT NULL DEFAULT 0;
CREATE TABLE password_history (
  id ${opts.serial},
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);
`;

// Operators' tools (issue #12): the audit log filtered by event type, alone or with a user, pages
// by keyset on these indexes (the (target_id, id) one came with the table).
const auditFilters = `
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_target_action ON audit_log (target_id, action, id);
`;

// A browser session opened from an app session token (settings-surface/app-session-token.ts) belongs
// to the app's grant: the revocation cascades end it with that grant.
const appSessionParent = `
ALTER TABLE idp_sessions ADD COLUMN parent_grant_id TEXT;
CREATE INDEX idp_sessions_parent_grant ON idp_sessions (parent_grant_id) WHERE parent_grant_id IS NOT NULL;
`;

export const sqliteMigrations: Migration[] = [
  { version: 1, name: "core", sql: core({ bigint: "INTEGER", bool: "INTEGER", falseValue: "0" }) },
  { version: 2, name: "admin", sql: admin({ bigint: "INTEGER", serial: "INTEGER PRIMARY KEY AUTOINCREMENT" }) },
  { version: 3, name: "accounts", sql: accounts({ bigint: "INTEGER", serial: "INTEGER PRIMARY KEY AUTOINCREMENT" }) },
  { version: 4, name: "refresh_rotation", sql: refreshRotation({ bigint: "INTEGER" }) },
  { version: 5, name: "sweeping", sql: sweeping },
  { version: 6, name: "audit_filters", sql: auditFilters },
  { version: 7, name: "identities", sql: sqliteIdentities, rebuildsTables: true },
  { version: 8, name: "profile", sql: profileMigration(sqliteProfile) },
  { version: 9, name: "cookieless_sessions_password_history", sql: pagesAndHistory({ bigint: "INTEGER", serial: "INTEGER PRIMARY KEY AUTOINCREMENT" }) },
  { version: 12, name: "settings_surface", sql: settingsSurface({ bigint: "INTEGER" }) },
  { version: 14, name: "dpop", sql: dpopMigration },
  { version: 10, name: "passkeys", sql: passkeysMigration({ bigint: "INTEGER" }) },
  { version: 11, name: "oob_otp", sql: oobOtpMigration({ bigint: "INTEGER" }) },
  { version: 13, name: "device_keys", sql: deviceKeysMigration({ bigint: "INTEGER" }) },
  { version: 15, name: "hook_outbox", sql: hookOutbox({ bigint: "INTEGER", serial: "INTEGER PRIMARY KEY AUTOINCREMENT" }) },
  { version: 16, name: "app_session_parent_grant", sql: appSessionParent },
];

export const postgresMigrations: Migration[] = [
  { version: 1, name: "core", sql: core({ bigint: "BIGINT", bool: "BOOLEAN", falseValue: "FALSE" }) },
  { version: 2, name: "admin", sql: admin({ bigint: "BIGINT", serial: "BIGSERIAL PRIMARY KEY" }) },
  { version: 3, name: "accounts", sql: accounts({ bigint: "BIGINT", serial: "BIGSERIAL PRIMARY KEY" }) },
  { version: 4, name: "refresh_rotation", sql: refreshRotation({ bigint: "BIGINT" }) },
  { version: 5, name: "sweeping", sql: sweeping },
  { version: 6, name: "audit_filters", sql: auditFilters },
  { version: 7, name: "identities", sql: postgresIdentities },
  { version: 8, name: "profile", sql: profileMigration(postgresProfile) },
  { version: 9, name: "cookieless_sessions_password_history", sql: pagesAndHistory({ bigint: "BIGINT", serial: "BIGSERIAL PRIMARY KEY" }) },
  { version: 12, name: "settings_surface", sql: settingsSurface({ bigint: "BIGINT" }) },
  { version: 14, name: "dpop", sql: dpopMigration },
  { version: 10, name: "passkeys", sql: passkeysMigration({ bigint: "BIGINT" }) },
  { version: 11, name: "oob_otp", sql: oobOtpMigration({ bigint: "BIGINT" }) },
  { version: 13, name: "device_keys", sql: deviceKeysMigration({ bigint: "BIGINT" }) },
  { version: 15, name: "hook_outbox", sql: hookOutbox({ bigint: "BIGINT", serial: "BIGSERIAL PRIMARY KEY" }) },
  { version: 16, name: "app_session_parent_grant", sql: appSessionParent },
];
