// Storage port for identities (domain/identity.ts). Login IDs arrive normalised: the login-ID
// modules (identity/login-id/) decide what "the same" means, the store only enforces uniqueness.
// Refusing to delete the last way in is the service's job, not the port's.
import type { Identity } from "../domain/identity.ts";

export type { Identity };

export interface IdentityStore {
  /**
   * Adds an identity; null if its login ID is taken under its key, or its subject under its provider
   * alias. An email login ID becomes the user's primary email (users.email) if the user has none.
   */
  create(identity: Identity): Promise<Identity | null>;
  /** Oldest first. */
  listByUser(userId: string): Promise<Identity[]>;
  findByLoginId(key: string, normalised: string): Promise<Identity | null>;
  findByProvider(alias: string, subject: string): Promise<Identity | null>;
  /**
   * Deletes the identity; false if there was none. If it was the user's primary email, users.email
   * moves to the user's oldest other email login ID, or becomes null (`at` stamps the user's updated_at).
   */
  delete(id: string, at?: number): Promise<boolean>;
}

export interface IdentityStorage {
  identities: IdentityStore;
}
