// Storage ports: one small async repository per aggregate. Adapters: sqlite/ (embedded
// default) and postgres/. Times are unix seconds; opaque secrets arrive here already hashed.
// The domain types they store live in domain/; they are re-exported here for older callers.
import type { SettingsSurfaceStorage } from "./settings-surface-ports.ts";
import type { User } from "../domain/user.ts";
import type { IdpSession, OfflineGrant } from "../domain/session.ts";
import type { AuthFlow, AuthorizationCode } from "../domain/authorization.ts";
import type { SigningKey } from "../domain/signing-key.ts";
import type { RevocationKind } from "../domain/revocation.ts";
import type { AdminStorage } from "./admin-ports.ts";
import type { AccountStorage } from "./account-ports.ts";
import type { ProfileStorage } from "./profile-ports.ts";
import type { IdentityStorage } from "./identity-ports.ts";
import type { PasskeyStorage } from "./passkey-ports.ts";
import type { OobStorage } from "./oob-ports.ts";
import type { DeviceKeyStorage } from "./device-key-ports.ts";
import type { Identity } from "../domain/identity.ts";
import type { ImportStore } from "./import-ports.ts";
import type { HookStorage } from "./hook-ports.ts";

export type { User, IdpSession, OfflineGrant, AuthFlow, AuthorizationCode, SigningKey };

export interface UserStore {
  /**
   * Creates the user, its password, its email login ID (for `user.email`, key `email`, unless
   * `loginIds` has it), `loginIds`, its search terms and its direct roles (`roles`), atomically;
   * null (nothing written) if the email or any of the login IDs is taken.
   */
  create(user: User, passwordHash: string | null, loginIds?: Identity[]): Promise<User | null>;
  get(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  /**
   * Patches the user. A changed `email` moves the user's primary email login ID with it (made under
   * key `email` if missing, deleted if null). `roles` sets the user's direct roles (creating roles
   * that do not exist yet: the flat roles list of the older API); the returned user carries the
   * effective roles. Attribute changes rewrite the user's search terms in the same transaction.
   */
  update(id: string, patch: Partial<Pick<User, "isVerified" | "disabled" | "disabledReason" | "roles" | "email" | "standardAttributes" | "customAttributes">>, at: number): Promise<User | null>;
}

export interface PasswordStore {
  get(userId: string): Promise<string | null>;
  set(userId: string, hash: string, at: number): Promise<void>;
  /** Sets the hash only if it is still `expected` (an upgrade after sign-in never undoes a reset); true if it did. */
  replace(userId: string, expected: string, hash: string, at: number): Promise<boolean>;
}

export interface SessionStore {
  create(session: IdpSession): Promise<void>;
  get(id: string): Promise<IdpSession | null>;
  touch(id: string, at: number, ip: string, userAgent: string): Promise<void>;
  /** Newest first, revoked and expired ones included. */
  listByUser(userId: string): Promise<IdpSession[]>;
  /** Deletes sessions that expired or were revoked before `before` (the sweeper keeps them a while first). */
  deleteEnded(before: number): Promise<number>;
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
  /** Newest first, revoked and expired ones included. */
  listByUser(userId: string): Promise<OfflineGrant[]>;
  /** Deletes grants that expired or were revoked before `before`. */
  deleteEnded(before: number): Promise<number>;
}

/** A revocation-log event a cascade wrote (a sid `i.…`/`o.…`, or a user id): this node's listeners hear each. */
export interface LoggedRevocation {
  kind: RevocationKind;
  id: string;
}

export interface CascadeOptions {
  at: number;
  /** `expiresAt` of the revocation-log events written: when no token they affect can still be valid. */
  logUntil: number;
}

/**
 * Revocation cascades. Each method changes its rows AND appends one revocation-log event per session,
 * grant or user it ends, in ONE transaction with a constant number of statements however many rows it
 * touches: a failure half-way leaves nothing half-revoked, and other nodes hear of exactly what changed.
 * Rows already revoked are left as they are and logged no second time.
 */
export interface RevocationCascadeStore {
  revokeByGrant(grantId: string, o: CascadeOptions): Promise<LoggedRevocation[]>;
  /** An IdP session and every offline grant born from it: logging out ends the whole login. */
  revokeBySession(sessionId: string, o: CascadeOptions): Promise<LoggedRevocation[]>;
  /** Every session and grant of a user; `exceptSessionId` and the grants born from it live on ("sign out everywhere else"). */
  revokeByUser(userId: string, o: CascadeOptions & { exceptSessionId?: string }): Promise<LoggedRevocation[]>;
  /** Sets the password and ends every session and grant: whoever knew the old one is out. */
  resetPassword(userId: string, passwordHash: string, o: CascadeOptions): Promise<LoggedRevocation[]>;
  /**
   * Disables the user and logs `user`: every token stops working on every node at once. Sessions and
   * grants are kept (refused while the user is disabled): enabling the user again lets them work.
   * Null if there is no such user.
   */
  disableUser(userId: string, reason: string | null, o: CascadeOptions): Promise<{ user: User; revoked: LoggedRevocation[] } | null>;
  /** Ends every session and grant, deletes the user (its rows go with it) and logs `user`; null if there is no such user. */
  deleteUser(userId: string, o: CascadeOptions): Promise<LoggedRevocation[] | null>;
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

export interface AuthFlowStore {
  create(flow: AuthFlow): Promise<void>;
  get(id: string): Promise<AuthFlow | null>;
  delete(id: string): Promise<void>;
  /** Deletes the flow and returns it, atomically: of concurrent takes one gets it (single-use state). */
  take(id: string): Promise<AuthFlow | null>;
  deleteExpired(before: number): Promise<number>;
}

export interface SigningKeyStore {
  list(): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  markRotated(kid: string, at: number): Promise<void>;
}

export interface Storage extends AdminStorage, AccountStorage, ProfileStorage, IdentityStorage, SettingsSurfaceStorage, PasskeyStorage, OobStorage, DeviceKeyStorage, HookStorage {
  users: UserStore;
  passwords: PasswordStore;
  sessions: SessionStore;
  offlineGrants: OfflineGrantStore;
  cascades: RevocationCascadeStore;
  codes: AuthorizationCodeStore;
  authFlows: AuthFlowStore;
  signingKeys: SigningKeyStore;
  /** Bulk import (import/authgear/). */
  importer: ImportStore;
  migrate(): Promise<void>;
  /**
   * Runs `fn` so that the store calls inside it commit together or not at all (storage/atomic.ts):
   * how a change and the webhook events it causes are written. Nested calls join the outer one.
   */
  atomic<T>(fn: () => Promise<T>): Promise<T>;
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
