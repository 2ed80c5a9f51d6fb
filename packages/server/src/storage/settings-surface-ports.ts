// Ports of the SDKs' settings surface (issue #15): app session tokens, pending settings actions and
// scheduled account deletions. One implementation for both backends (settings-surface-stores.ts).

/** An app session token: a refresh token's holder asking for a browser session. Only the hash is kept. */
export interface AppSessionTokenRow {
  tokenHash: string;
  offlineGrantId: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * A settings action (x_settings_action) between the authorization request and the token request:
 * the page works on it while `codeHash` is null; finishing the page sets the code the app redeems.
 */
export interface SettingsActionRow {
  id: string;
  clientId: string;
  userId: string;
  action: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string | null;
  /** x_oauth_provider_alias, for the actions that name a provider (unlink_oauth). */
  providerAlias: string | null;
  createdAt: number;
  expiresAt: number;
  codeHash: string | null;
  codeExpiresAt: number | null;
  usedAt: number | null;
}

/** A user whose account is to be deleted at `deleteAt` (Authgear's scheduled deletion). */
export interface AccountDeletionRow {
  userId: string;
  deleteAt: number;
  scheduledAt: number;
  byAdmin: boolean;
  reason: string;
}

export interface AppSessionTokenStore {
  create(row: AppSessionTokenRow): Promise<void>;
  /** Deletes and returns the token if it is live at `now`: single use, whoever asks first. */
  take(tokenHash: string, now: number): Promise<AppSessionTokenRow | null>;
  deleteExpired(before: number): Promise<number>;
}

export interface SettingsActionStore {
  create(row: SettingsActionRow): Promise<void>;
  get(id: string): Promise<SettingsActionRow | null>;
  /** Sets the code once, for the action's own user, while the action is live; false otherwise. */
  complete(id: string, userId: string, o: { codeHash: string; codeExpiresAt: number; now: number }): Promise<boolean>;
  /** The action whose code hashes to `codeHash`, used or not (the grant checks the request before spending it). */
  getByCode(codeHash: string): Promise<SettingsActionRow | null>;
  /** Marks the code used and returns the action, if the code is live and unused: single use. */
  redeem(codeHash: string, now: number): Promise<SettingsActionRow | null>;
  deleteExpired(before: number): Promise<number>;
}

export interface AccountDeletionStore {
  /** False (nothing written) if the user is already scheduled or does not exist. */
  schedule(row: AccountDeletionRow): Promise<boolean>;
  get(userId: string): Promise<AccountDeletionRow | null>;
  /** True if a schedule was removed. */
  unschedule(userId: string): Promise<boolean>;
  /** Deletions due at `now`, oldest first, at most `limit`. */
  due(now: number, limit: number): Promise<AccountDeletionRow[]>;
}

export interface SettingsSurfaceStorage {
  appSessionTokens: AppSessionTokenStore;
  settingsActions: SettingsActionStore;
  accountDeletions: AccountDeletionStore;
}
