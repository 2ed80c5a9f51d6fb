// Storage ports for end-user account features: emailed one-time codes, TOTP, recovery codes, the
// pending state between login steps, lockout records and the local mail outbox. Secrets (codes,
// link tokens, recovery codes, pending-login secrets) arrive here already hashed (SHA-256).

export type OneTimeCodePurpose = "verify_email" | "reset_password";

/** One live code per (purpose, user): sending a new one replaces the old. */
export interface OneTimeCode {
  purpose: OneTimeCodePurpose;
  userId: string;
  /** The address the code was sent to: verifying proves this address, not whatever the user has now. */
  target: string;
  /** Null once the code has been used (a reset may go on with its link token). */
  codeHash: string | null;
  /** Reset links: the token in the emailed URL. */
  linkTokenHash: string | null;
  failedAttempts: number;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

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

export interface TotpAuthenticator {
  userId: string;
  /** Base32. Stored as is: verifying a TOTP needs the secret itself. */
  secret: string;
  createdAt: number;
  /** Null while being set up: enabled only after the user typed a code from it. */
  confirmedAt: number | null;
  /** The last RFC 6238 time step accepted; a code is never accepted twice. */
  lastUsedStep: number;
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

export type PendingLoginStage = "totp" | "verify";

/** Between login steps: who passed the password, what is left, bound to the browser by a cookie secret. */
export interface PendingLogin {
  id: string;
  secretHash: string;
  /** Null for a sign-up with a taken email when verification is required: it answers like a real one. */
  userId: string | null;
  email: string;
  flowId: string | null;
  stage: PendingLoginStage;
  amr: string[];
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

export interface PendingLoginStore {
  create(pending: PendingLogin): Promise<void>;
  get(id: string): Promise<PendingLogin | null>;
  /** Compare-and-set: moves a live login at stage `from` on (or, with `to: null`, consumes it). */
  advance(id: string, from: PendingLoginStage, to: { stage: PendingLoginStage; amr: string[] } | null, at: number): Promise<boolean>;
  deleteExpired(before: number): Promise<number>;
}

/** Failed-attempt history for one lockout key (one account): see account/limits/lockout.ts. */
export interface LockoutRecord {
  /** Failures from every contributor (IP) together. */
  total: number;
  /** Failures per contributor (IP). */
  byContributor: Record<string, number>;
  /** Lock expiry per lock key ("*" for per_user, the IP for per_user_per_ip). */
  lockedUntil: Record<string, number>;
  /** The record is forgotten after this. */
  expiresAt: number;
}

export interface LockoutStore {
  get(key: string): Promise<LockoutRecord | null>;
  /**
   * Atomic read-modify-write of one record (concurrent updates of a key run one after the other,
   * each seeing the last one's result); `change` returns null to delete it. `change` may run more
   * than once: only what its last run returned is stored.
   */
  update(key: string, change: (current: LockoutRecord | null) => LockoutRecord | null): Promise<LockoutRecord | null>;
  deleteExpired(before: number): Promise<number>;
}

export interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: number;
}

export interface OutboxStore {
  append(message: Omit<OutboxMessage, "id">): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<OutboxMessage[]>;
}

export interface AccountStorage {
  oneTimeCodes: OneTimeCodeStore;
  totp: TotpStore;
  recoveryCodes: RecoveryCodeStore;
  pendingLogins: PendingLoginStore;
  lockouts: LockoutStore;
  outbox: OutboxStore;
}
