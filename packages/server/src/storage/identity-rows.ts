// Row ↔ Identity mapping shared by both SQL adapters, and the email login ID every user with an
// email has (UserStore.create and update keep it in step with users.email).
import { randomUUID } from "node:crypto";
import { loginIdIdentity, type Identity, type IdentityType, type LoginIdType } from "../domain/identity.ts";
import type { User } from "../domain/user.ts";
import type { Row } from "./rows.ts";

export const IDENTITY_COLUMNS = [
  "id", "user_id", "type", "login_id_key", "login_id_type", "login_id", "original_login_id", "provider_alias", "provider_subject",
  "claims", "created_at", "updated_at",
] as const;

const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toIdentity(r: Row): Identity {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    type: String(r.type) as IdentityType,
    loginIdKey: strOrNull(r.login_id_key),
    loginIdType: strOrNull(r.login_id_type) as LoginIdType | null,
    loginId: strOrNull(r.login_id),
    originalLoginId: strOrNull(r.original_login_id),
    providerAlias: strOrNull(r.provider_alias),
    providerSubject: strOrNull(r.provider_subject),
    claims: JSON.parse(String(r.claims)) as Record<string, unknown>,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function identityValues(i: Identity): unknown[] {
  return [
    i.id, i.userId, i.type, i.loginIdKey, i.loginIdType, i.loginId, i.originalLoginId, i.providerAlias, i.providerSubject,
    JSON.stringify(i.claims), i.createdAt, i.updatedAt,
  ];
}

/** The config key of the email login ID made for users.email (Authgear's default key name). */
export const PRIMARY_EMAIL_KEY = "email";

/**
 * The login IDs to insert with a new user: those given, plus an email login ID for users.email
 * when none of them is an email (with `case_sensitive` emails the given one may differ in case
 * from users.email, which is always lowercased: it is still the same address).
 */
export function loginIdsForNewUser(user: User, loginIds: readonly Identity[]): Identity[] {
  const all = loginIds.map((i) => ({ ...i, userId: user.id }));
  if (user.email !== null && !all.some((i) => i.loginIdType === "email")) {
    all.unshift(loginIdIdentity({
      id: randomUUID(), userId: user.id, key: PRIMARY_EMAIL_KEY, type: "email", loginId: user.email, originalLoginId: user.email, at: user.createdAt,
    }));
  }
  return all;
}

/**
 * After the primary email's login ID is gone: the oldest other email login ID of the user that no
 * other user has as primary, or null. Not known to be verified, so is_verified is reset. Named
 * parameters @user, @at, @false; each adapter rewrites them to its placeholder style.
 */
export const REPICK_PRIMARY_EMAIL =
  "UPDATE users SET email = (SELECT i.login_id FROM identities i WHERE i.user_id = @user AND i.type = 'login_id' AND i.login_id_type = 'email' " +
  "AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = i.login_id) ORDER BY i.created_at, i.id LIMIT 1), is_verified = @false, updated_at = @at WHERE id = @user";

/** A new email login ID becomes the primary email of a user who has none (if no other user has it as primary). */
export const ADOPT_PRIMARY_EMAIL =
  "UPDATE users SET email = @email, is_verified = @false, updated_at = @at WHERE id = @user AND email IS NULL " +
  "AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = @email)";

/** For pg: `@name` → `$n`, with the values in order. */
export function numbered(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const names: string[] = [];
  const text = sql.replace(/@([a-z]+)/g, (_m, name: string) => {
    let n = names.indexOf(name);
    if (n < 0) n = names.push(name) - 1;
    return `$${n + 1}`;
  });
  return [text, names.map((n) => values[n])];
}
