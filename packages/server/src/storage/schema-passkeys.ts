// Migration 10 (issue #14): passkey credentials beside their identities rows, and the server-side
// WebAuthn challenges (single use, minutes long; the sweeper deletes expired ones).
export const passkeysMigration = (opts: { bigint: string }): string => `
CREATE TABLE passkey_credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  identity_id TEXT NOT NULL REFERENCES identities(id) ON DELETE CASCADE,
  credential_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  sign_count ${opts.bigint} NOT NULL DEFAULT 0,
  transports TEXT NOT NULL DEFAULT '[]',
  aaguid TEXT NOT NULL DEFAULT '',
  created_at ${opts.bigint} NOT NULL,
  updated_at ${opts.bigint} NOT NULL,
  last_used_at ${opts.bigint}
);
CREATE UNIQUE INDEX passkey_credentials_credential ON passkey_credentials (credential_id);
CREATE UNIQUE INDEX passkey_credentials_identity ON passkey_credentials (identity_id);
CREATE INDEX passkey_credentials_user ON passkey_credentials (user_id, created_at);
CREATE TABLE passkey_challenges (
  challenge_hash TEXT PRIMARY KEY,
  purpose TEXT NOT NULL,
  user_id TEXT,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL
);
CREATE INDEX passkey_challenges_expires ON passkey_challenges (expires_at);
`;
