// Storage ports for passkeys (issue #14). Like Authgear, a passkey is both an identity of the user
// (an `identities` row of type `passkey`, what userinfo and the admin API list) and the
// authenticator behind it (a `passkey_credentials` row: the WebAuthn credential id, its COSE
// public key and signature counter). Deleting the identity deletes the credential with it.
// WebAuthn challenges are single use: consume() takes one out atomically, whatever comes next.
import type { Identity } from "../domain/identity.ts";

export interface PasskeyCredential {
  id: string;
  userId: string;
  /** The identity this credential signs in as (one each). */
  identityId: string;
  /** The WebAuthn credential id, base64url (unique). */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter as last seen (WebAuthn §6.1.1); 0 when it keeps none. */
  signCount: number;
  transports: string[];
  aaguid: string;
  createdAt: number;
  updatedAt: number;
  lastUsedAt: number | null;
}

export type PasskeyChallengePurpose = "register" | "signup" | "authenticate";

export interface PasskeyChallenge {
  /** SHA-256 (hex) of the base64url challenge: the challenge itself is never stored. */
  challengeHash: string;
  purpose: PasskeyChallengePurpose;
  /** register: the signed-in user it was made for; signup: the id the new user will get (its WebAuthn user handle). */
  userId: string | null;
  createdAt: number;
  expiresAt: number;
}

export interface PasskeyStore {
  /** Adds the identity and its credential together; false (nothing written) if the credential id is taken. */
  add(identity: Identity, credential: PasskeyCredential): Promise<boolean>;
  /** Oldest first. */
  listByUser(userId: string): Promise<PasskeyCredential[]>;
  findByCredentialId(credentialId: string): Promise<PasskeyCredential | null>;
  /** Compare-and-set of the counter: false if another sign-in moved it first (a cloned authenticator, or a race). */
  recordUse(id: string, o: { expectedCount: number; newCount: number; at: number }): Promise<boolean>;
  /** Removes the user's passkey identity (its credential goes with it); false if the user has no such passkey. */
  remove(userId: string, identityId: string): Promise<boolean>;
}

export interface PasskeyChallengeStore {
  put(challenge: PasskeyChallenge): Promise<void>;
  /** Atomically takes a live challenge of this purpose out; null if none, expired or already used. */
  consume(challengeHash: string, purpose: PasskeyChallengePurpose, at: number): Promise<PasskeyChallenge | null>;
  deleteExpired(before: number): Promise<number>;
}

export interface PasskeyStorage {
  passkeys: PasskeyStore;
  passkeyChallenges: PasskeyChallengeStore;
}
