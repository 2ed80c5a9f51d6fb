// Storage ports for end-user account features: emailed one-time codes, TOTP, recovery codes, the
// pending state between login steps, lockout records and the local mail outbox. Secrets (codes,
// link tokens, recovery codes, pending-login secrets) arrive here already hashed (SHA-256).
// The domain types live in domain/; re-exported here for older callers.
import type {
  LockoutRecord, OneTimeCode, OneTimeCodePurpose, OutboxMessage, PendingLogin, PendingLoginStage, TotpAuthenticator,
} from "../domain/account.ts";

export type { LockoutRecord, OneTimeCode, OneTimeCodePurpose, OutboxMessage, PendingLogin, PendingLoginStage, TotpAuthenticator };


export interface OneTimeCodeStore {
  put(code: OneTimeCode): Promise<void>;
  get(purpose: OneTimeCodePurpose, userId: string): Promise<OneTimeCode | null>;
  findByLinkToken(purpose: OneTimeCodePurpose, linkTokenHash: string): Promise<OneTimeCode | null>;
  /**
   * Counts a guess *before* it is checked, in one conditional statement: only while the code is
   * unspent, unexpired and has had fewer than `cap` guesses. Returns the code as it is after the
   * count, or null (no guess left): parallel guesses can never check more than `cap` times.
   */
  reserveAttempt(purpose: OneTimeCodePurpose, userId: string, options: { cap: number; at: number }): Promise<OneTimeCode | null>;
  /**
   * Atomically spends the code if it is still unspent and its code (or link token) hash is still
   * `expectedHash`; with `nextLinkTokenHash` the row lives on with a new link token instead.
   */
  consume(purpose: OneTimeCodePurpose, userId: string, options: { expectedHash: string; at: number; nextLinkTokenHash?: string }): Promise<boolean>;
  deleteExpired(before: number): Promise<number>;
}

export interface TotpStore {
  get(userId: string): Promise<TotpAuthenticator | null>;
  /** Starts (or restarts) a setup; refuses (false) if a confirmed authenticator exists. */
  putPending(totp: TotpAuthenticator): Promise<boolean>;
  confirm(userId: string, secret: string, at: number, step: number): Promise<boolean>;
  /** Atomically records a use of `step`; false if that step (or a later one) was used already. */
  markUsed(userId: string, step: number): Promise<boolean>;
  delete(userId: string): Promise<boolean>;
}

export interface RecoveryCodeStore {
  /** Replaces every code of the user with these hashes. */
  replace(userId: string, codeHashes: string[], at: number): Promise<void>;
  /** Atomically spends one unused code; false if no such unused code. */
  consume(userId: string, codeHash: string, at: number): Promise<boolean>;
  countUnused(userId: string): Promise<number>;
  deleteAll(userId: string): Promise<void>;
}

export interface PendingLoginStore {
  create(pending: PendingLogin): Promise<void>;
  get(id: string): Promise<PendingLogin | null>;
  /** Compare-and-set: moves a live login at stage `from` on (or, with `to: null`, consumes it). */
  advance(id: string, from: PendingLoginStage, to: { stage: PendingLoginStage; amr: string[] } | null, at: number): Promise<boolean>;
  deleteExpired(before: number): Promise<number>;
}

export interface LockoutStore {
  /**
   * Atomic read-modify-write of one record (concurrent updates of a key run one after the other,
   * each seeing the last one's result); `change` returns null to delete it. `change` may run more
   * than once: only what its last run returned is stored.
   */
  update(key: string, change: (current: LockoutRecord | null) => LockoutRecord | null): Promise<LockoutRecord | null>;
  deleteExpired(before: number): Promise<number>;
}

export interface OutboxStore {
  append(message: Omit<OutboxMessage, "id">): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<OutboxMessage[]>;
  deleteOlderThan(before: number): Promise<number>;
}

/**
 * Earlier password hashes of a user, for Authgear's history_size / history_days. The window is the
 * newest `size` entries or every entry since `since`, whichever holds more (Authgear's rule).
 */
export interface PasswordHistoryStore {
  add(userId: string, hash: string, at: number): Promise<void>;
  /** The hashes in the window, newest first. */
  recent(userId: string, window: { size: number; since: number }): Promise<string[]>;
  /** Deletes the user's entries outside the window; how many went. */
  prune(userId: string, window: { size: number; since: number }): Promise<number>;
}

export interface AccountStorage {
  oneTimeCodes: OneTimeCodeStore;
  totp: TotpStore;
  recoveryCodes: RecoveryCodeStore;
  pendingLogins: PendingLoginStore;
  lockouts: LockoutStore;
  outbox: OutboxStore;
  passwordHistory: PasswordHistoryStore;
}
