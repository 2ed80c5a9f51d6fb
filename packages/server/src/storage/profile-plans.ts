// Roles, groups and assignments as plans (plan.ts): written once, run by both adapters.
import type { Role } from "../domain/roles.ts";
import type { AssignResult, CascadeOptions, LoggedRevocation, Link, RoleOrGroupPatch, UpdateResult } from "./profile-ports.ts";
import type { Page } from "./admin-ports.ts";
import { all, run, type Plan } from "./plan.ts";
import { HOLDERS_OF_ROLE, MEMBERS_OF_GROUP, createMissingRoles, logUsersChanged, refreshStatements, type RolesDialect } from "./roles-sql.ts";
import type { Row } from "./rows.ts";

export type Table = "roles" | "groups";

// Sorted here, not by the database: PostgreSQL's collation and SQLite's byte order disagree.
const keysOf = (rows: Row[]): string[] => rows.map((r) => String(r.key)).sort();

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const toRole = (r: Row): Role => ({
  id: String(r.id), key: String(r.key), name: str(r.name), description: str(r.description), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
});

/** Rewrites the effective roles and role/group terms of `userIds`, and logs each as changed. */
export function* refresh(d: RolesDialect, userIds: string[], o: CascadeOptions | null): Plan<LoggedRevocation[]> {
  if (userIds.length === 0) return [];
  for (const sql of refreshStatements(d)) yield run(sql, [d.setValue(userIds)]);
  if (!o) return [];
  yield run(logUsersChanged(d), [d.setValue(userIds), o.at, o.logUntil]);
  return userIds.map((id) => ({ kind: "user_changed" as const, id }));
}

function* affected(table: Table, id: string): Plan<string[]> {
  const rows: Row[] = yield all(table === "roles" ? HOLDERS_OF_ROLE : MEMBERS_OF_GROUP, [id]);
  return rows.map((r) => String(r.user_id));
}

export function* createItem(table: Table, item: Role): Plan<Role | null> {
  const inserted: number = yield run(
    `INSERT INTO ${table} (id, key, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
    [item.id, item.key, item.name, item.description, item.createdAt, item.updatedAt],
  );
  return inserted === 1 ? item : null;
}

export function* getItem(table: Table, key: string): Plan<Role | null> {
  const rows: Row[] = yield all(`SELECT * FROM ${table} WHERE key = $1`, [key]);
  return rows[0] ? toRole(rows[0]) : null;
}

/** Cursors are the last key seen, base64url. */
export function* listItems(table: Table, o: { query?: string; cursor?: string; limit: number }): Plan<Page<Role>> {
  const after = o.cursor ? Buffer.from(o.cursor, "base64url").toString("utf8") : "";
  const query = o.query ?? "";
  // Roles and groups are few: a prefix test per row is cheap and reads the same in both dialects.
  const rows: Row[] = yield all(`SELECT * FROM ${table} WHERE key > $1 AND substr(key, 1, length($2)) = $2 ORDER BY key LIMIT $3`, [after, query, o.limit + 1]);
  const items = rows.slice(0, o.limit).map(toRole);
  return { items, nextCursor: rows.length > o.limit ? Buffer.from(items[items.length - 1].key).toString("base64url") : null };
}

export function* updateItem(d: RolesDialect, table: Table, key: string, patch: RoleOrGroupPatch, o: CascadeOptions): Plan<UpdateResult<Role>> {
  const current: Role | null = yield* getItem(table, key);
  if (!current) return { ok: false, reason: "not_found" };
  const next: Role = {
    ...current, key: patch.key ?? current.key, name: patch.name === undefined ? current.name : patch.name,
    description: patch.description === undefined ? current.description : patch.description, updatedAt: o.at,
  };
  if (next.key !== key && (yield* getItem(table, next.key))) return { ok: false, reason: "key_taken" };
  yield run(`UPDATE ${table} SET key = $1, name = $2, description = $3, updated_at = $4 WHERE id = $5`, [next.key, next.name, next.description, o.at, current.id]);
  // A new key changes what tokens carry (roles) and what searches find (both).
  const changed = next.key === key ? [] : yield* refresh(d, yield* affected(table, current.id), o);
  return { ok: true, item: next, changed };
}

export function* deleteItem(d: RolesDialect, table: Table, key: string, o: CascadeOptions): Plan<LoggedRevocation[] | null> {
  const current: Role | null = yield* getItem(table, key);
  if (!current) return null;
  const users: string[] = yield* affected(table, current.id);
  yield run(`DELETE FROM ${table} WHERE id = $1`, [current.id]);
  return yield* refresh(d, users, o);
}

const LINKS = {
  user_role: { table: "user_roles", subject: "user_id", target: "role_id", targets: "roles" },
  user_group: { table: "user_groups", subject: "user_id", target: "group_id", targets: "groups" },
  group_role: { table: "group_roles", subject: "group_id", target: "role_id", targets: "roles" },
} as const;

export function* change(d: RolesDialect, link: Link, keys: string[], o: CascadeOptions & { remove?: boolean }): Plan<AssignResult> {
  const l = LINKS[link.kind];
  let subject: string | null;
  if (link.kind === "group_role") subject = ((yield* getItem("groups", link.groupKey)) as Role | null)?.id ?? null;
  else subject = ((yield all("SELECT id FROM users WHERE id = $1", [link.userId])) as Row[]).length ? link.userId : null;
  const found: Row[] = yield all(`SELECT key FROM ${l.targets} WHERE key IN ${d.set(1)}`, [d.setValue(keys)]);
  const missing = keys.filter((k) => !found.some((r) => r.key === k));
  if (!subject) missing.unshift(link.kind === "group_role" ? link.groupKey : link.userId);
  if (missing.length) return { ok: false, missing };
  yield run(o.remove
    ? `DELETE FROM ${l.table} WHERE ${l.subject} = $1 AND ${l.target} IN (SELECT id FROM ${l.targets} WHERE key IN ${d.set(2)})`
    : `INSERT INTO ${l.table} (${l.subject}, ${l.target}, created_at) SELECT $1, id, CAST($3 AS BIGINT) FROM ${l.targets} WHERE key IN ${d.set(2)} ON CONFLICT DO NOTHING`,
  o.remove ? [subject, d.setValue(keys)] : [subject, d.setValue(keys), o.at]);
  const users = link.kind === "group_role" ? yield* affected("groups", subject!) : [subject!];
  return { ok: true, changed: yield* refresh(d, users, o) };
}

/** The flat roles list of the older API (users.update): the user's direct roles become exactly `keys`, missing roles are created. */
export function* setDirectRoles(d: RolesDialect, newId: string, userId: string, keys: string[], at: number): Plan<void> {
  yield run(createMissingRoles(d, newId), [d.setValue(keys), at]);
  yield run(`DELETE FROM user_roles WHERE user_id = $1 AND role_id NOT IN (SELECT id FROM roles WHERE key IN ${d.set(2)})`, [userId, d.setValue(keys)]);
  yield run(`INSERT INTO user_roles (user_id, role_id, created_at) SELECT $1, id, CAST($3 AS BIGINT) FROM roles WHERE key IN ${d.set(2)} ON CONFLICT DO NOTHING`, [userId, d.setValue(keys), at]);
  yield* refresh(d, [userId], null);
}

export function* ofUser(userId: string): Plan<{ roles: string[]; groups: string[] } | null> {
  if (!((yield all("SELECT id FROM users WHERE id = $1", [userId])) as Row[]).length) return null;
  const roles: Row[] = yield all("SELECT r.key FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = $1", [userId]);
  const groups: Row[] = yield all("SELECT g.key FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = $1", [userId]);
  return { roles: keysOf(roles), groups: keysOf(groups) };
}

export function* ofGroup(groupKey: string): Plan<string[] | null> {
  const group: Role | null = yield* getItem("groups", groupKey);
  if (!group) return null;
  const rows: Row[] = yield all("SELECT r.key FROM group_roles gr JOIN roles r ON r.id = gr.role_id WHERE gr.group_id = $1", [group.id]);
  return keysOf(rows);
}
