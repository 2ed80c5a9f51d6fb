// Storage ports for one-time codes and login links sent by email or SMS (account/oob-otp/) and
// the email addresses and phone numbers users proved and use as a factor (Authgear's oob_otp
// authenticators). Codes and link tokens arrive hashed (SHA-256); the code key is a hash of
// purpose, channel and target, so the table holds no addresses.

export type OobChannel = "email" | "sms";
export type OobKind = "primary" | "secondary";

/** One live code per key (purpose + channel + target): sending a new one replaces the old. */
export interface OobCode {
  key: string;
  /** The pending login (account/login/pending.ts) the code was sent for: only that browser may use it. */
  pendingId: string;
  codeHash: string;
  /** login_link mode: the token in the emailed URL; opening it approves the code. */
  linkTokenHash: string | null;
  approvedAt: number | null;
  failedAttempts: number;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

export interface OobAuthenticator {
  id: string;
  userId: string;
  kind: OobKind;
  channel: OobChannel;
  /** Normalised email or E.164 phone number. */
  target: string;
  createdAt: number;
}

export interface OobCodeStore {
  put(code: OobCode): Promise<void>;
  get(key: string): Promise<OobCode | null>;
  /** Counts a guess before it is checked, while the code is live and has had fewer than `cap`; the row after, or null. */
  reserveAttempt(key: string, options: { cap: number; at: number }): Promise<OobCode | null>;
  /** Spends the live code if its hash is still `expectedHash` (single use, atomic). */
  consume(key: string, options: { expectedHash: string; at: number }): Promise<boolean>;
  /** Marks the live, unapproved code with this link token approved; the row, or null. */
  approveLink(linkTokenHash: string, at: number): Promise<OobCode | null>;
  /** Spends the live code if it was approved by its link and belongs to `pendingId`. */
  consumeApproved(key: string, options: { pendingId: string; at: number }): Promise<boolean>;
  deleteExpired(before: number): Promise<number>;
}

export interface OobAuthenticatorStore {
  /** Adds it unless the user has the same one (kind, channel, target) already; false then. */
  add(a: OobAuthenticator): Promise<boolean>;
  listByUser(userId: string): Promise<OobAuthenticator[]>;
  delete(userId: string, id: string): Promise<boolean>;
}

export interface OobStorage {
  oobCodes: OobCodeStore;
  oobAuthenticators: OobAuthenticatorStore;
}
