// The bulk-import port (import/authgear/): whole users with everything that hangs off them, written
// a batch per transaction, keyed by the source's ids so a second run (or a run resumed after a crash)
// finds what is there and leaves it alone. Nothing already in Gatehouse is ever overwritten.
import type { User } from "../domain/user.ts";
import type { Identity } from "../domain/identity.ts";
import type { OfflineGrant } from "../domain/session.ts";
import type { SigningKey } from "../domain/signing-key.ts";
import type { PasskeyCredential } from "./passkey-ports.ts";
import type { DeviceKey } from "./device-key-ports.ts";
import type { AccountDeletionRow } from "./settings-surface-ports.ts";

export interface ImportedUser {
  /** `roles` holds the effective roles (direct and through groups), as the users.roles cache does. */
  user: User;
  passwordHash: string | null;
  identities: Identity[];
  totp: { secret: string; createdAt: number } | null;
  recoveryCodes: { codeHash: string; createdAt: number; usedAt: number | null }[];
  /** Direct assignments, by key (the roles and groups themselves are imported first). */
  roleKeys: string[];
  groupKeys: string[];
  /** Each passkey as its identity (type `passkey`) and the credential behind it, both keeping the source's ids. */
  passkeys: { identity: Identity; credential: PasskeyCredential }[];
  /** Biometric keys, and the anonymous user's key (keyId null for a web anonymous user). */
  deviceKeys: DeviceKey[];
  /** A scheduled deletion, kept to the second (the user row is disabled with it). */
  deletion: Omit<AccountDeletionRow, "userId"> | null;
}

export interface ImportedRoleOrGroup {
  id: string;
  key: string;
  name: string | null;
  description: string | null;
  createdAt: number;
  updatedAt: number;
}

export type ImportSkip = { id: string; reason: string };

export interface ImportStore {
  /** Roles, groups and which roles each group grants; those whose key exists already are kept as they are. */
  writeRolesAndGroups(roles: ImportedRoleOrGroup[], groups: ImportedRoleOrGroup[], groupRoles: { groupKey: string; roleKey: string }[], at: number): Promise<void>;
  /**
   * One transaction: users not yet present are written whole (passkeys, device keys and a scheduled
   * deletion included); the rest are reported and left alone.
   */
  writeUsers(batch: ImportedUser[], o: { dryRun: boolean }): Promise<{ written: string[]; skipped: ImportSkip[] }>;
  /**
   * Grants whose user exists and whose id is not taken yet are written; one imported before is updated
   * (token, expiry, last use) only if the source saw a later use and it was neither rotated nor revoked here.
   */
  writeGrants(batch: OfflineGrant[], o: { dryRun: boolean }): Promise<{ written: string[]; updated: string[]; skipped: ImportSkip[] }>;
  /**
   * A key that verifies tokens signed before the move and signs nothing (rotatedAt set); a second
   * import of the same kid only moves its retiredAt later. True if the key was new.
   */
  writeRetiredKey(key: SigningKey, o: { dryRun: boolean }): Promise<boolean>;
}
