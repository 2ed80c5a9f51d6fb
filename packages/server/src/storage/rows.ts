// Row ↔ domain mapping shared by every SQL adapter: both return snake_case rows; SQLite gives
// 0/1 for booleans and pg gives BIGINT as strings, so everything goes through num()/bool().
import type { AuthFlow, AuthorizationCode } from "../domain/authorization.ts";
import type { IdpSession, OfflineGrant } from "../domain/session.ts";
import type { SigningKey } from "../domain/signing-key.ts";
import type { User } from "../domain/user.ts";
import type { AdminKey, AuditEntry } from "../domain/admin.ts";
import type { RevocationEvent, RevocationKind } from "../domain/revocation.ts";
import { isCleanText } from "../input/text.ts";

export type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown): boolean => v === true || v === 1 || v === "1" || v === "t";
const list = (v: unknown): string[] => JSON.parse(String(v)) as string[];
// Rows written before migration 8 read through a join may lack the column: an empty profile.
const object = (v: unknown): Record<string, unknown> => (v === null || v === undefined ? {} : JSON.parse(String(v)) as Record<string, unknown>);

export function toUser(r: Row): User {
  return {
    id: str(r.id),
    email: strOrNull(r.email),
    isVerified: bool(r.is_verified),
    isAnonymous: bool(r.is_anonymous),
    disabled: bool(r.disabled),
    disabledReason: strOrNull(r.disabled_reason),
    roles: list(r.roles),
    standardAttributes: object(r.standard_attributes),
    customAttributes: object(r.custom_attributes),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toSession(r: Row): IdpSession {
  return {
    id: str(r.id),
    userId: str(r.user_id),
    tokenHash: str(r.token_hash),
    amr: list(r.amr),
    authenticatedAt: num(r.authenticated_at),
    createdAt: num(r.created_at),
    lastAccessedAt: num(r.last_accessed_at),
    expiresAt: num(r.expires_at),
    ip: str(r.ip),
    userAgent: str(r.user_agent),
    revokedAt: numOrNull(r.revoked_at),
    cookieless: bool(r.cookieless),
    parentGrantId: strOrNull(r.parent_grant_id),
  };
}

export function toGrant(r: Row): OfflineGrant {
  return {
    id: str(r.id),
    clientId: str(r.client_id),
    userId: str(r.user_id),
    idpSessionId: strOrNull(r.idp_session_id),
    scopes: list(r.scopes),
    amr: list(r.amr),
    authenticatedAt: num(r.authenticated_at),
    tokenHash: str(r.token_hash),
    createdAt: num(r.created_at),
    lastAccessedAt: num(r.last_accessed_at),
    expiresAt: num(r.expires_at),
    ip: str(r.ip),
    userAgent: str(r.user_agent),
    revokedAt: numOrNull(r.revoked_at),
    previousTokenHash: strOrNull(r.previous_token_hash),
    rotatedAt: numOrNull(r.rotated_at),
    rotationSalt: strOrNull(r.rotation_salt),
    dpopJkt: strOrNull(r.dpop_jkt),
  };
}

export function toCode(r: Row): AuthorizationCode {
  return {
    codeHash: str(r.code_hash),
    clientId: str(r.client_id),
    userId: str(r.user_id),
    idpSessionId: str(r.idp_session_id),
    redirectUri: str(r.redirect_uri),
    scopes: list(r.scopes),
    nonce: strOrNull(r.nonce),
    codeChallenge: strOrNull(r.code_challenge),
    codeChallengeMethod: strOrNull(r.code_challenge_method),
    authenticatedAt: num(r.authenticated_at),
    amr: list(r.amr),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    usedAt: numOrNull(r.used_at),
    issuedGrantId: strOrNull(r.issued_grant_id),
    dpopJkt: strOrNull(r.dpop_jkt),
  };
}

export function toFlow(r: Row): AuthFlow {
  return {
    id: str(r.id),
    clientId: str(r.client_id),
    params: JSON.parse(str(r.params)) as Record<string, string>,
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
  };
}

export function toKey(r: Row): SigningKey {
  return {
    kid: str(r.kid),
    privateJwk: str(r.private_jwk),
    createdAt: num(r.created_at),
    rotatedAt: numOrNull(r.rotated_at),
    retiredAt: numOrNull(r.retired_at),
  };
}

/** Column values for an INSERT, in the order of the matching *_COLUMNS list. */
export const USER_COLUMNS = [
  "id", "email", "is_verified", "is_anonymous", "disabled", "disabled_reason", "roles", "created_at", "updated_at", "standard_attributes", "custom_attributes",
] as const;
export const SESSION_COLUMNS = ["id", "user_id", "token_hash", "amr", "authenticated_at", "created_at", "last_accessed_at", "expires_at", "ip", "user_agent", "revoked_at", "cookieless", "parent_grant_id"] as const;
export const GRANT_COLUMNS = [
  "id", "client_id", "user_id", "idp_session_id", "scopes", "amr", "authenticated_at", "token_hash", "created_at", "last_accessed_at", "expires_at",
  "ip", "user_agent", "revoked_at", "previous_token_hash", "rotated_at", "rotation_salt", "dpop_jkt",
] as const;
/**
 * SELECT of a grant and its user (LEFT JOIN: the user may be gone), every GRANT_COLUMNS then every
 * USER_COLUMNS, read positionally (SQLite's raw mode, pg's rowMode "array"): on the refresh path,
 * building a keyed row per query in the driver cost more than the query. `$1` is the grant id.
 */
export const GRANT_WITH_USER_SQL = `SELECT ${[...GRANT_COLUMNS.map((c) => `g.${c}`), ...USER_COLUMNS.map((c) => `u.${c}`)].join(", ")} FROM offline_grants g LEFT JOIN users u ON u.id = g.user_id WHERE g.id = $1`;

const keyed = (values: unknown[], names: readonly string[], offset: number): Row => {
  const r: Row = {};
  for (let i = 0; i < names.length; i++) r[names[i]] = values[offset + i];
  return r;
};

export function toGrantWithUser(values: unknown[]): { grant: OfflineGrant; user: User | null } {
  const grant = toGrant(keyed(values, GRANT_COLUMNS, 0));
  const userId = values[GRANT_COLUMNS.length];
  return { grant, user: userId === null || userId === undefined ? null : toUser(keyed(values, USER_COLUMNS, GRANT_COLUMNS.length)) };
}

export const CODE_COLUMNS = ["code_hash", "client_id", "user_id", "idp_session_id", "redirect_uri", "scopes", "nonce", "code_challenge", "code_challenge_method", "authenticated_at", "amr", "created_at", "expires_at", "used_at", "issued_grant_id", "dpop_jkt"] as const;

export function userValues(u: User, boolean: (b: boolean) => unknown): unknown[] {
  return [
    u.id, u.email, boolean(u.isVerified), boolean(u.isAnonymous), boolean(u.disabled), u.disabledReason, JSON.stringify(u.roles), u.createdAt, u.updatedAt,
    JSON.stringify(u.standardAttributes), JSON.stringify(u.customAttributes),
  ];
}

export function sessionValues(s: IdpSession): unknown[] {
  return [s.id, s.userId, s.tokenHash, JSON.stringify(s.amr), s.authenticatedAt, s.createdAt, s.lastAccessedAt, s.expiresAt, s.ip, s.userAgent, s.revokedAt, s.cookieless ? 1 : 0, s.parentGrantId];
}

export function grantValues(g: OfflineGrant): unknown[] {
  return [g.id, g.clientId, g.userId, g.idpSessionId, JSON.stringify(g.scopes), JSON.stringify(g.amr), g.authenticatedAt, g.tokenHash, g.createdAt, g.lastAccessedAt, g.expiresAt, g.ip, g.userAgent, g.revokedAt, g.previousTokenHash, g.rotatedAt, g.rotationSalt, g.dpopJkt ?? null];
}

export function codeValues(c: AuthorizationCode): unknown[] {
  return [c.codeHash, c.clientId, c.userId, c.idpSessionId, c.redirectUri, JSON.stringify(c.scopes), c.nonce, c.codeChallenge, c.codeChallengeMethod, c.authenticatedAt, JSON.stringify(c.amr), c.createdAt, c.expiresAt, c.usedAt, c.issuedGrantId, c.dpopJkt ?? null];
}

/** Email login IDs are compared case-insensitively (Authgear's default login ID normaliser). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function toAdminKey(r: Row): AdminKey {
  return {
    id: str(r.id), name: str(r.name), secretHash: str(r.secret_hash), createdAt: num(r.created_at),
    lastUsedAt: numOrNull(r.last_used_at), revokedAt: numOrNull(r.revoked_at),
  };
}

export function toAudit(r: Row): AuditEntry {
  return {
    id: num(r.id), at: num(r.at), actor: str(r.actor), action: str(r.action), targetType: str(r.target_type),
    targetId: str(r.target_id), details: JSON.parse(str(r.details)) as Record<string, unknown>,
  };
}

export function toRevocation(r: Row): RevocationEvent {
  return { seq: num(r.seq), kind: str(r.kind) as RevocationKind, id: str(r.id), at: num(r.at), expiresAt: num(r.expires_at) };
}

/** User-list cursors encode the (created_at, id) of the last row seen. */
export function encodeUserCursor(u: { createdAt: number; id: string }): string {
  return Buffer.from(JSON.stringify([u.createdAt, u.id])).toString("base64url");
}

export function decodeUserCursor(cursor: string | undefined): { createdAt: number; id: string } | null {
  if (!cursor) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    // Only what encodeUserCursor makes: a forged cursor must not carry NUL or 1e400 into a query.
    return Number.isSafeInteger(createdAt) && typeof id === "string" && id.length <= 200 && isCleanText(id, "identifier") ? { createdAt: createdAt as number, id } : null;
  } catch {
    return null;
  }
}

/** Escapes LIKE wildcards so a search for "a_b" means exactly that. */
export function likePattern(query: string): string {
  return `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The user-list query for both SQL dialects: `placeholder(n)` renders the n-th parameter (`?` or
 * `$n`). One extra row is fetched to tell whether a next page exists.
 */
export function userListQuery(options: { query?: string; cursor?: string; limit: number }, placeholder: (n: number) => string): { sql: string; args: unknown[] } {
  const after = decodeUserCursor(options.cursor);
  const where: string[] = [];
  const args: unknown[] = [];
  const p = (value: unknown): string => placeholder(args.push(value));
  if (options.query) where.push(`(email LIKE ${p(likePattern(options.query))} ESCAPE '\\' OR id = ${p(options.query)})`);
  if (after) where.push(`(created_at > ${p(after.createdAt)} OR (created_at = ${p(after.createdAt)} AND id > ${p(after.id)}))`);
  const sql = `SELECT * FROM users ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, id LIMIT ${p(options.limit + 1)}`;
  return { sql, args };
}

export function userPage(found: User[], limit: number): { items: User[]; nextCursor: string | null } {
  const items = found.slice(0, limit);
  return { items, nextCursor: found.length > limit ? encodeUserCursor(items[items.length - 1]) : null };
}

/**
 * The audit log page query, newest first, continuing below the cursor's id. Every filter is an
 * equality, so each combination walks one index ((target_id, id), (action, id) or both columns)
 * backwards from the cursor: the last of 100k entries costs what the first does (no OFFSET).
 */
export function auditListQuery(options: { cursor?: string; limit: number; targetId?: string; action?: string }, placeholder: (n: number) => string): { sql: string; args: unknown[] } {
  const args: unknown[] = [];
  const p = (value: unknown): string => placeholder(args.push(value));
  const before = options.cursor && /^\d{1,15}$/.test(options.cursor) ? Number(options.cursor) : Number.MAX_SAFE_INTEGER;
  const where = [`id < ${p(before)}`];
  if (options.targetId !== undefined) where.push(`target_id = ${p(options.targetId)}`);
  if (options.action !== undefined) where.push(`action = ${p(options.action)}`);
  return { sql: `SELECT * FROM audit_log WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ${p(options.limit + 1)}`, args };
}

export function auditPage(found: Row[], limit: number): { items: AuditEntry[]; nextCursor: string | null } {
  const items = found.slice(0, limit).map(toAudit);
  return { items, nextCursor: found.length > limit ? String(items[items.length - 1].id) : null };
}
