// Migration 11 (issue #14): codes and login links sent by email or SMS, and the addresses and
// numbers users proved and use as a factor (Authgear's oob_otp authenticators).
export const oobOtpMigration = (opts: { bigint: string }): string => `
CREATE TABLE oob_otp_codes (
  code_key TEXT PRIMARY KEY,
  pending_id TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  link_token_hash TEXT,
  approved_at ${opts.bigint},
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  created_at ${opts.bigint} NOT NULL,
  expires_at ${opts.bigint} NOT NULL,
  consumed_at ${opts.bigint}
);
CREATE INDEX oob_otp_codes_link ON oob_otp_codes (link_token_hash);
CREATE INDEX oob_otp_codes_expires ON oob_otp_codes (expires_at);
CREATE TABLE oob_authenticators (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  target TEXT NOT NULL,
  created_at ${opts.bigint} NOT NULL,
  UNIQUE (user_id, kind, channel, target)
);
CREATE INDEX oob_authenticators_target ON oob_authenticators (channel, target);
`;

export const OOB_CODE_COLUMNS = ["code_key", "pending_id", "code_hash", "link_token_hash", "approved_at", "failed_attempts", "created_at", "expires_at", "consumed_at"] as const;
