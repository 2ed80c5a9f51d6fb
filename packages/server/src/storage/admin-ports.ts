// Storage ports for operators: user search, admin API keys, the audit log, stored client
// settings, and the revocation log that feeds caches and backends.
import type { User } from "./ports.ts";

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface UserDirectory {
  /** Users ordered by (created_at, id); `query` matches an email substring or an exact id. */
  list(options: { query?: string; cursor?: string; limit: number }): Promise<Page<User>>;
}

export interface AdminKey {
  id: string;
  name: string;
  secretHash: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface AdminKeyStore {
  create(key: AdminKey): Promise<void>;
  get(id: string): Promise<AdminKey | null>;
  list(): Promise<AdminKey[]>;
  revoke(id: string, at: number): Promise<boolean>;
}

export interface AuditEntry {
  id: number;
  at: number;
  /** Who: `key:<id>` for an API key. */
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
}

export interface AuditLogStore {
  append(entry: Omit<AuditEntry, "id">): Promise<void>;
  /** Newest first; `cursor` is the id to continue below. */
  list(options: { cursor?: string; limit: number; targetId?: string }): Promise<Page<AuditEntry>>;
}

export interface ClientSettingsStore {
  /** Operator-set overrides of a client's token settings, keyed by client_id. */
  all(): Promise<Record<string, Record<string, unknown>>>;
  put(clientId: string, settings: Record<string, unknown>, at: number): Promise<void>;
}

/** `user_changed` is not a revocation: it tells other nodes to re-read a user (roles, verification). */
export type RevocationKind = "session" | "grant" | "user" | "user_changed";

export interface RevocationEvent {
  seq: number;
  kind: RevocationKind;
  /** A session/grant id (as in the tokens' `sid`, e.g. `o.<id>`) or a user id. */
  id: string;
  at: number;
  /** After this, no token it could affect is still valid: consumers may forget it. */
  expiresAt: number;
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
