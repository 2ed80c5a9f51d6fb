// Storage ports: one small async repository per aggregate. Adapters: sqlite/ (embedded
// default) and postgres/. Times are unix seconds; opaque secrets arrive here already hashed.

export interface User {
  id: string;
  email: string;
  isVerified: boolean;
  isAnonymous: boolean;
  disabled: boolean;
  disabledReason: string | null;
  roles: string[];
  createdAt: number;
  updatedAt: number;
}

export interface UserStore {
  /** Creates the user and its email login identity atomically; returns null if the email is taken. */
  create(user: User, passwordHash: string | null): Promise<User | null>;
  get(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  update(id: string, patch: Partial<Pick<User, "isVerified" | "disabled" | "disabledReason" | "roles" | "email">>, at: number): Promise<User | null>;
  delete(id: string): Promise<boolean>;
}

export interface PasswordStore {
  get(userId: string): Promise<string | null>;
  set(userId: string, hash: string, at: number): Promise<void>;
}

/** An IdP session: what the `session` cookie points at. */
export interface IdpSession {
  id: string;
  userId: string;
  tokenHash: string;
  amr: string[];
  authenticatedAt: number;
  createdAt: number;
  lastAccessedAt: number;
  expiresAt: number;
  ip: string;
  userAgent: string;
  revokedAt: number | null;
}

export interface SessionStore {
  create(session: IdpSession): Promise<void>;
  get(id: string): Promise<IdpSession | null>;
  touch(id: string, at: number, ip: string, userAgent: string): Promise<void>;
  revoke(id: string, at: number): Promise<boolean>;
  listByUser(userId: string): Promise<IdpSession[]>;
  revokeByUser(userId: string, at: number): Promise<number>;
}

/** An offline grant: what a refresh token `<grant id>.<secret>` points at. */
export interface OfflineGrant {
  id: string;
  clientId: string;
  userId: string;
  /** The IdP session the grant was born from (null if that is unknown). */
  idpSessionId: string | null;
  scopes: string[];
  amr: string[];
  authenticatedAt: number;
  tokenHash: string;
  createdAt: number;
  lastAccessedAt: number;
  expiresAt: number;
  ip: string;
  userAgent: string;
  revokedAt: number | null;
  /**
   * Set by rotation: the hash of the token the current one replaced, when, and the salt the
   * current secret was derived with from the replaced one (refresh-token-format.ts). A retry of
   * the replaced token within the grace window is answered with that same successor; after it,
   * the replaced token is told apart from a forgery and revokes the grant (RFC 9700 §4.14.2).
   */
  previousTokenHash: string | null;
  rotatedAt: number | null;
  rotationSalt: string | null;
}

export interface OfflineGrantStore {
  create(grant: OfflineGrant): Promise<void>;
  get(id: string): Promise<OfflineGrant | null>;
  /** The grant and its user in one read: the refresh grant needs both (one round trip, not two). */
  getWithUser(id: string): Promise<{ grant: OfflineGrant; user: User | null } | null>;
  /** Records a use (last access, IP, user agent); false if the grant is missing or revoked. */
  touch(id: string, options: { at: number; ip: string; userAgent: string }): Promise<boolean>;
  /**
   * Records a use and rotates the refresh token, atomically and only if `expectedTokenHash` is
   * still current and the grant is not revoked: the expected hash becomes `previousTokenHash`,
   * with `rotatedAt = at` and the `salt` the new secret was derived with. Of concurrent
   * rotations of one token exactly one returns true.
   */
  rotate(id: string, options: { at: number; ip: string; userAgent: string; expectedTokenHash: string; newTokenHash: string; salt: string }): Promise<boolean>;
  revoke(id: string, at: number): Promise<boolean>;
  listByUser(userId: string): Promise<OfflineGrant[]>;
  revokeByUser(userId: string, at: number): Promise<number>;
  revokeBySession(idpSessionId: string, at: number): Promise<number>;
}

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  userId: string;
  idpSessionId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  authenticatedAt: number;
  amr: string[];
  createdAt: number;
  expiresAt: number;
  /** Set once the code has been exchanged: what that exchange issued (RFC 6749 §4.1.2). */
  usedAt: number | null;
  issuedGrantId: string | null;
}

export type ConsumeResult =
  | { kind: "ok"; code: AuthorizationCode }
  | { kind: "reused"; code: AuthorizationCode }
  | { kind: "missing" };

export interface AuthorizationCodeStore {
  create(code: AuthorizationCode): Promise<void>;
  /** Reads a code without using it: the exchange checks client and PKCE before it spends the code. */
  get(codeHash: string): Promise<AuthorizationCode | null>;
  /**
   * Atomically marks the code used and records the offline grant the exchange issued (if any), in
   * one write: a concurrent second call reports `reused` with that grant already recorded, so a
   * replay always finds what to revoke (RFC 6749 §4.1.2).
   */
  consume(codeHash: string, options: { at: number; issuedGrantId: string | null }): Promise<ConsumeResult>;
  deleteExpired(before: number): Promise<number>;
}

/** A pending authorization request, waiting for the user to sign in. */
export interface AuthFlow {
  id: string;
  clientId: string;
  params: Record<string, string>;
  createdAt: number;
  expiresAt: number;
}

export interface AuthFlowStore {
  create(flow: AuthFlow): Promise<void>;
  get(id: string): Promise<AuthFlow | null>;
  delete(id: string): Promise<void>;
}

export interface SigningKey {
  kid: string;
  privateJwk: string;
  createdAt: number;
  /** After this, the key no longer signs; it stays published until retiredAt. */
  rotatedAt: number | null;
  retiredAt: number | null;
}

export interface SigningKeyStore {
  list(): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  markRotated(kid: string, at: number): Promise<void>;
}

import type { AdminStorage } from "./admin-ports.ts";
import type { AccountStorage } from "./account-ports.ts";

export interface Storage extends AdminStorage, AccountStorage {
  users: UserStore;
  passwords: PasswordStore;
  sessions: SessionStore;
  offlineGrants: OfflineGrantStore;
  codes: AuthorizationCodeStore;
  authFlows: AuthFlowStore;
  signingKeys: SigningKeyStore;
  migrate(): Promise<void>;
  /** Resolves once the database answers a trivial query; StorageUnavailableError after `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  /** Connection pool use, for metrics; null when the adapter has no pool (SQLite). */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open (idle + in use). */
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
  max: number;
}
