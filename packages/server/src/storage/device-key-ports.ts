// Storage ports for device keys (anonymous and biometric identities, Authgear's
// _auth_identity_anonymous / _auth_identity_biometric) and the one-time tokens around them:
// challenges (POST /oauth2/challenge) and anonymous promotion codes. Tokens are stored only as
// SHA-256 hashes and consumed atomically: a second consume of the same token finds nothing.
import type { JWK } from "jose";

export type DeviceKeyType = "anonymous" | "biometric";

export interface DeviceKey {
  id: string;
  userId: string;
  type: DeviceKeyType;
  /** The kid the device signs with; null for a web anonymous user, who has no key. */
  keyId: string | null;
  /** The public key (JWK); null with keyId. */
  jwk: JWK | null;
  /** What the device said about itself at setup (biometric: model, OS…), shown when listing keys. */
  deviceInfo: Record<string, unknown>;
  createdAt: number;
  lastUsedAt: number;
}

export type OneTimeTokenPurpose = "anonymous_request" | "biometric_request" | "app2app_request" | "anonymous_promotion" | "pre_authenticated_url";

export interface OneTimeToken {
  tokenHash: string;
  purpose: OneTimeTokenPurpose;
  /** Promotion codes: the anonymous user they promote. */
  userId: string | null;
  /** Pre-authenticated URL tokens: the grant and client they were issued for. */
  data?: Record<string, unknown> | null;
  expiresAt: number;
}

export interface DeviceKeyStore {
  /** Adds the key; false if its (type, keyId) is already bound. */
  create(key: DeviceKey): Promise<boolean>;
  findByKeyId(type: DeviceKeyType, keyId: string): Promise<DeviceKey | null>;
  listByUser(userId: string): Promise<DeviceKey[]>;
  /** Deletes the user's key; false if the user has no such key. */
  delete(userId: string, id: string): Promise<boolean>;
  touch(id: string, at: number): Promise<void>;
  /**
   * Promotion: the user stops being anonymous and their anonymous keys are deleted, in one
   * transaction. False if the user was not anonymous (already promoted).
   */
  promote(userId: string, at: number): Promise<boolean>;
  /** Anonymous users created before `before` and not seen since (no key used, no session or grant alive). */
  staleAnonymousUsers(before: number, limit: number): Promise<string[]>;
}

export interface OneTimeTokenStore {
  create(token: OneTimeToken): Promise<void>;
  /** The token if it exists and has not expired at `at`, left in place. */
  get(tokenHash: string, at: number): Promise<OneTimeToken | null>;
  /** Deletes and returns the token if it exists and has not expired at `at`; null otherwise. */
  consume(tokenHash: string, at: number): Promise<OneTimeToken | null>;
  deleteExpired(before: number): Promise<number>;
}

/** Device SSO (scope device_sso): the hash of each offline grant's current device secret. */
export interface DeviceSecretStore {
  set(grantId: string, secretHash: string, at: number): Promise<void>;
  get(grantId: string): Promise<string | null>;
}

export interface DeviceKeyStorage {
  deviceKeys: DeviceKeyStore;
  deviceSecrets: DeviceSecretStore;
  oneTimeTokens: OneTimeTokenStore;
}
