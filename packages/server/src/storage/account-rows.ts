// Row ↔ domain mapping for the account tables, shared by the SQLite and PostgreSQL adapters
// (SQLite returns numbers, pg returns BIGINT as strings: everything goes through Number()).
import type { LockoutRecord, OneTimeCode, OneTimeCodePurpose, OutboxMessage, PendingLogin, PendingLoginStage, TotpAuthenticator } from "../domain/account.ts";

export type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const ONE_TIME_CODE_COLUMNS = ["purpose", "user_id", "target", "code_hash", "link_token_hash", "failed_attempts", "created_at", "expires_at", "consumed_at"] as const;
export const PENDING_LOGIN_COLUMNS = ["id", "secret_hash", "user_id", "email", "flow_id", "stage", "amr", "created_at", "expires_at", "consumed_at"] as const;

export function toOneTimeCode(r: Row): OneTimeCode {
  return {
    purpose: String(r.purpose) as OneTimeCodePurpose, userId: String(r.user_id), target: String(r.target),
    codeHash: strOrNull(r.code_hash), linkTokenHash: strOrNull(r.link_token_hash), failedAttempts: num(r.failed_attempts),
    createdAt: num(r.created_at), expiresAt: num(r.expires_at), consumedAt: numOrNull(r.consumed_at),
  };
}

export function oneTimeCodeValues(c: OneTimeCode): unknown[] {
  return [c.purpose, c.userId, c.target, c.codeHash, c.linkTokenHash, c.failedAttempts, c.createdAt, c.expiresAt, c.consumedAt];
}

export function toTotp(r: Row): TotpAuthenticator {
  return { userId: String(r.user_id), secret: String(r.secret), createdAt: num(r.created_at), confirmedAt: numOrNull(r.confirmed_at), lastUsedStep: num(r.last_used_step) };
}

export function toPendingLogin(r: Row): PendingLogin {
  return {
    id: String(r.id), secretHash: String(r.secret_hash), userId: strOrNull(r.user_id), email: String(r.email), flowId: strOrNull(r.flow_id),
    stage: String(r.stage) as PendingLoginStage, amr: JSON.parse(String(r.amr)) as string[], createdAt: num(r.created_at),
    expiresAt: num(r.expires_at), consumedAt: numOrNull(r.consumed_at),
  };
}

export function pendingLoginValues(p: PendingLogin): unknown[] {
  return [p.id, p.secretHash, p.userId, p.email, p.flowId, p.stage, JSON.stringify(p.amr), p.createdAt, p.expiresAt, p.consumedAt];
}

/** A PostgreSQL row may hold JSON `null`: a placeholder locked by a first failure in progress. */
export function toLockoutRecord(r: Row): LockoutRecord | null {
  return JSON.parse(String(r.record)) as LockoutRecord | null;
}

export function toOutboxMessage(r: Row): OutboxMessage {
  return { id: num(r.id), to: String(r.to_address), subject: String(r.subject), text: String(r.text_body), html: String(r.html_body), createdAt: num(r.created_at) };
}
