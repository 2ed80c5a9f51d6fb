// What operators work with: admin API keys and audit-log entries.

export interface AdminKey {
  id: string;
  name: string;
  secretHash: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
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
