// Row ↔ domain mapping for the oob_otp tables, shared by the SQLite and PostgreSQL adapters.
import type { OobAuthenticator, OobChannel, OobCode, OobKind } from "./oob-ports.ts";

type Row = Record<string, unknown>;
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toOobCode(r: Row): OobCode {
  return {
    key: String(r.code_key), pendingId: String(r.pending_id), codeHash: String(r.code_hash),
    linkTokenHash: r.link_token_hash == null ? null : String(r.link_token_hash), approvedAt: numOrNull(r.approved_at),
    failedAttempts: Number(r.failed_attempts), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at), consumedAt: numOrNull(r.consumed_at),
  };
}

export function oobCodeValues(c: OobCode): unknown[] {
  return [c.key, c.pendingId, c.codeHash, c.linkTokenHash, c.approvedAt, c.failedAttempts, c.createdAt, c.expiresAt, c.consumedAt];
}

export function toOobAuthenticator(r: Row): OobAuthenticator {
  return {
    id: String(r.id), userId: String(r.user_id), kind: String(r.kind) as OobKind, channel: String(r.channel) as OobChannel,
    target: String(r.target), createdAt: Number(r.created_at),
  };
}
