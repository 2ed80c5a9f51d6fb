// Issue #15, the SDKs' settings surface: app session tokens (hash only, 5 minutes, single use),
// settings actions awaiting their page or their token request, and scheduled account deletions.
export const settingsSurface = (opts: { bigint: string }): string => `
CREATE TABLE app_session_tokens (
  token_hash TEXT PRIMARY KEY,
  offline_grant_id TEXT NOT NULL REFERENCES offline_grants(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL
);
CREATE INDEX app_session_tokens_expires ON app_session_tokens (expires_at);
CREATE TABLE settings_actions (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  state TEXT,
  code_challenge TEXT,
  provider_alias TEXT,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL,
  code_hash TEXT UNIQUE,
  code_expires_at ${opts.bigint},
  used_at ${opts.bigint}
);
CREATE INDEX settings_actions_expires ON settings_actions (expires_at);
CREATE TABLE account_deletions (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  delete_at ${opts.bigint} NOT NULL,
  scheduled_at ${opts.bigint} NOT NULL,
  by_admin INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX account_deletions_due ON account_deletions (delete_at);
`;
