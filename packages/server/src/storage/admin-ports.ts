// Storage ports for operators: user search, admin API keys, the audit log, stored client
// settings, and the revocation log that feeds caches and backends.
// The domain types live in domain/; re-exported here for older callers.
import type { User } from "../domain/user.ts";
import type { AdminKey, AuditEntry } from "../domain/admin.ts";
import type { RevocationEvent, RevocationKind } from "../domain/revocation.ts";

export type { AdminKey, AuditEntry, RevocationEvent, RevocationKind };

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface UserDirectory {
  /** Users ordered by (created_at, id); `query` matches an email substring or an exact id. */
  list(options: { query?: string; cursor?: string; limit: number }): Promise<Page<User>>;
  /** The users with these ids that exist, in one query (naming a page of audit entries). */
  byIds(ids: string[]): Promise<User[]>;
}

export interface AdminKeyStore {
  create(key: AdminKey): Promise<void>;
  get(id: string): Promise<AdminKey | null>;
  /** Every key, revoked ones too, oldest first (an installation has a handful). */
  list(): Promise<AdminKey[]>;
  /** Revokes a live key; false if it is missing or already revoked. */
  revoke(id: string, at: number): Promise<boolean>;
  /** Records a use at `at`, unless one at or after `notBefore` is recorded already (one write a minute, not one a request). */
  touch(id: string, at: number, notBefore: number): Promise<void>;
}

export interface AuditLogStore {
  append(entry: Omit<AuditEntry, "id">): Promise<void>;
  /**
   * Newest first; `cursor` is the id to continue below. Keyset pagination on indexes
   * ((target_id, id), (action, id), (target_id, action, id)): every page costs the same.
   */
  list(options: { cursor?: string; limit: number; targetId?: string; action?: string }): Promise<Page<AuditEntry>>;
}

export interface ClientSettingsStore {
  /** Operator-set overrides of a client's token settings, keyed by client_id. */
  all(): Promise<Record<string, Record<string, unknown>>>;
  put(clientId: string, settings: Record<string, unknown>, at: number): Promise<void>;
}

export interface RevocationLog {
  append(event: Omit<RevocationEvent, "seq">): Promise<number>;
  /** Events with seq > `after`, oldest first. */
  since(after: number, limit: number): Promise<RevocationEvent[]>;
  latestSeq(): Promise<number>;
  deleteExpired(before: number): Promise<number>;
}

export interface AdminStorage {
  userDirectory: UserDirectory;
  adminKeys: AdminKeyStore;
  auditLog: AuditLogStore;
  clientSettings: ClientSettingsStore;
  revocations: RevocationLog;
}
