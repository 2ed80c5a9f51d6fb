// Storage ports: one small async repository per aggregate. Adapters: sqlite/ (embedded
// default) and postgres/. Times are unix seconds; opaque secrets arrive here already hashed.
// The domain types they store live in domain/; they are re-exported here for older callers.
import type { User } from "../domain/user.ts";
import type { IdpSession, OfflineGrant } from "../domain/session.ts";
import type { AuthFlow, AuthorizationCode } from "../domain/authorization.ts";
import type { SigningKey } from "../domain/signing-key.ts";
import type { AdminStorage } from "./admin-ports.ts";
import type { AccountStorage } from "./account-ports.ts";

export type { User, IdpSession, OfflineGrant, AuthFlow, AuthorizationCode, SigningKey };

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

export interface SessionStore {
  create(session: IdpSession): Promise<void>;
  get(id: string): Promise<IdpSession | null>;
  touch(id: string, at: number, ip: string, userAgent: string): Promise<void>;
  revoke(id: string, at: number): Promise<boolean>;
  listByUser(userId: string): Promise<IdpSession[]>;
  revokeByUser(userId: string, at: number): Promise<number>;
}

export interface OfflineGrantStore {
  create(grant: OfflineGrant): Promise<void>;
  get(id: string): Promise<OfflineGrant | null>;
  /** The grant and its user in one read: the refresh grant needs both (one round trip, not two). */
  getWithUser(id: string): Promise<{ grant: OfflineGrant; user: User | null } | null>;
  /** Records a use; with `newTokenHash` the refresh token rotates, but only if `expectedTokenHash` still matches. */
  touch(id: string, options: { at: number; ip: string; userAgent: string; expectedTokenHash?: string; newTokenHash?: string }): Promise<boolean>;
  revoke(id: string, at: number): Promise<boolean>;
  listByUser(userId: string): Promise<OfflineGrant[]>;
  revokeByUser(userId: string, at: number): Promise<number>;
  revokeBySession(idpSessionId: string, at: number): Promise<number>;
}

export type ConsumeResult =
  | { kind: "ok"; code: AuthorizationCode }
  | { kind: "reused"; code: AuthorizationCode }
  | { kind: "missing" };

export interface AuthorizationCodeStore {
  create(code: AuthorizationCode): Promise<void>;
  /** Atomically marks the code used; a second call reports `reused` with what the first one recorded. */
  consume(codeHash: string, at: number): Promise<ConsumeResult>;
  /** Records the offline grant the exchange issued, so a replay can revoke it. */
  recordIssuedGrant(codeHash: string, grantId: string): Promise<void>;
  deleteExpired(before: number): Promise<number>;
}

export interface AuthFlowStore {
  create(flow: AuthFlow): Promise<void>;
  get(id: string): Promise<AuthFlow | null>;
  delete(id: string): Promise<void>;
}

export interface SigningKeyStore {
  list(): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  markRotated(kid: string, at: number): Promise<void>;
}

export interface Storage extends AdminStorage, AccountStorage {
  users: UserStore;
  passwords: PasswordStore;
  sessions: SessionStore;
  offlineGrants: OfflineGrantStore;
  codes: AuthorizationCodeStore;
  authFlows: AuthFlowStore;
  signingKeys: SigningKeyStore;
  migrate(): Promise<void>;
  close(): Promise<void>;
}
