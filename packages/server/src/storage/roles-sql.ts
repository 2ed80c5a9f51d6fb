// The SQL both adapters run for roles, groups and the profile's search terms, written once with
// PostgreSQL's `$n` placeholders (SQLite reads them as `?n`). A "set" parameter is a list of user
// ids: a JSON text for SQLite (json_each), a text[] for PostgreSQL (unnest).
import type { User } from "../domain/user.ts";

export interface RolesDialect {
  name: "sqlite" | "postgres";
  /** `(SELECT … AS id)` of the values in set parameter n. */
  set(n: number): string;
  /** The value to bind for a set parameter. */
  setValue(ids: string[]): unknown;
}

export const sqliteRoles: RolesDialect = { name: "sqlite", set: (n) => `(SELECT value AS id FROM json_each($${n}))`, setValue: (ids) => JSON.stringify(ids) };
export const postgresRoles: RolesDialect = { name: "postgres", set: (n) => `(SELECT unnest($${n}::text[]) AS id)`, setValue: (ids) => ids };

/** PostgreSQL placeholders as SQLite's numbered ones. */
export const forSqlite = (sql: string): string => sql.replace(/\$(\d+)/g, "?$1");

const effectiveOf = (user: string): string => `SELECT r.key AS k FROM roles r WHERE r.id IN (
  SELECT role_id FROM user_roles WHERE user_id = ${user}
  UNION SELECT gr.role_id FROM group_roles gr JOIN user_groups ug ON ug.group_id = gr.group_id WHERE ug.user_id = ${user})`;

/**
 * Statements that bring the effective-roles cache (users.roles) and the role and group search terms
 * of the users in set $1 up to date. Run after every change to what those users hold.
 */
export function refreshStatements(d: RolesDialect): string[] {
  const users = d.set(1);
  const effective = d.name === "sqlite"
    ? `(SELECT json_group_array(k) FROM (SELECT DISTINCT k FROM (${effectiveOf("users.id")}) ORDER BY k))`
    : `COALESCE((SELECT json_agg(k ORDER BY k COLLATE "C")::text FROM (${effectiveOf("users.id")}) s), '[]')`;
  const eachRole = d.name === "sqlite"
    ? "SELECT 'r:' || j.value, u.id FROM users u, json_each(u.roles) j"
    : "SELECT 'r:' || j.key, u.id FROM users u CROSS JOIN LATERAL jsonb_array_elements_text(u.roles::jsonb) AS j(key)";
  return [
    `UPDATE users SET roles = ${effective} WHERE id IN ${users}`,
    `DELETE FROM user_search_terms WHERE user_id IN ${users} AND ((term >= 'r:' AND term < 'r;') OR (term >= 'g:' AND term < 'g;'))`,
    `INSERT INTO user_search_terms (term, user_id) ${eachRole} WHERE u.id IN ${users} ON CONFLICT DO NOTHING`,
    `INSERT INTO user_search_terms (term, user_id) SELECT 'g:' || g.key, ug.user_id FROM user_groups ug JOIN groups g ON g.id = ug.group_id
      WHERE ug.user_id IN ${users} ON CONFLICT DO NOTHING`,
  ];
}

/** Users whose effective roles depend on role $1 (directly or through a group). */
export const HOLDERS_OF_ROLE = `SELECT user_id FROM user_roles WHERE role_id = $1
  UNION SELECT ug.user_id FROM user_groups ug JOIN group_roles gr ON gr.group_id = ug.group_id WHERE gr.role_id = $1`;
export const MEMBERS_OF_GROUP = "SELECT user_id FROM user_groups WHERE group_id = $1";

/** One `user_changed` revocation-log event per user in set $1 ($2 at, $3 expiry): caches everywhere re-read them. */
export const logUsersChanged = (d: RolesDialect): string =>
  `INSERT INTO revocations (kind, id, at, expires_at) SELECT DISTINCT 'user_changed', ids.id, CAST($2 AS BIGINT), CAST($3 AS BIGINT) FROM ${d.set(1)} AS ids`;

/** Inserts the missing roles named in set $1 ($2: now): a user's roles set by the old flat API create them. */
export const createMissingRoles = (d: RolesDialect, newId: string): string =>
  `INSERT INTO roles (id, key, name, description, created_at, updated_at) SELECT ${newId}, k.id, NULL, NULL, CAST($2 AS BIGINT), CAST($2 AS BIGINT)
   FROM (SELECT DISTINCT id FROM ${d.set(1)} AS x) AS k WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.key = k.id)`;

// Search terms of a user's own values: the login IDs and attribute values an operator may search by.
const MAX_TERM = 200;

/** The normalised form a value is stored and searched in: trimmed, lowercase, at most 200 characters. */
export function normalizeTerm(value: string): string {
  return value.trim().toLowerCase().slice(0, MAX_TERM);
}

function collect(value: unknown, into: Set<string>): void {
  if (typeof value === "string" || typeof value === "number") {
    const t = normalizeTerm(String(value));
    if (t) into.add(`v:${t}`);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) collect(v, into);
  }
}

/** `v:` terms of a user: the email, every standard attribute value (address parts too) and every custom attribute value. */
export function valueTerms(user: Pick<User, "email" | "standardAttributes" | "customAttributes">): string[] {
  const terms = new Set<string>();
  collect(user.email, terms);
  collect(user.standardAttributes, terms);
  collect(user.customAttributes, terms);
  return [...terms];
}

export const DELETE_VALUE_TERMS = "DELETE FROM user_search_terms WHERE user_id = $1 AND term >= 'v:' AND term < 'v;'";
export const INSERT_TERM = "INSERT INTO user_search_terms (term, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
