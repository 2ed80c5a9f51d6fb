// End-user account state between and beside sign-ins: emailed codes, TOTP, pending logins,
// lockout history and the local mail outbox.

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

/** totp: the second factor (any kind); oob: a code or link sent as the first factor (account/oob-otp/). */
export type PendingLoginStage = "totp" | "verify" | "oob";

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

export interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: number;
}
