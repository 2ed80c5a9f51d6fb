// Storage ports for the user profile (issue 13): roles, groups, who holds them, and user search.
// Every change to what a user holds rewrites that user's effective roles (users.roles) and search
// terms, and appends one `user_changed` revocation-log event per affected user, all in ONE
// transaction: caches on every node re-read those users, so the next token, userinfo or resolver
// answer carries the change.
import type { Group, Role } from "../domain/roles.ts";
import type { User } from "../domain/user.ts";
import type { Page } from "./admin-ports.ts";
import type { RevocationKind } from "../domain/revocation.ts";

/** The same shapes as ports.ts CascadeOptions and LoggedRevocation (that file imports this one). */
export interface CascadeOptions {
  at: number;
  logUntil: number;
}
export interface LoggedRevocation {
  kind: RevocationKind;
  id: string;
}

export type { Group, Role };

export interface RoleOrGroupPatch {
  key?: string;
  name?: string | null;
  description?: string | null;
}

export type UpdateResult<T> = { ok: true; item: T; changed: LoggedRevocation[] } | { ok: false; reason: "not_found" | "key_taken" };

/** The same port serves roles and groups (`roles` and `groups` tables). */
export interface RoleOrGroupStore<T> {
  /** Null if the key is taken. */
  create(item: T): Promise<T | null>;
  get(key: string): Promise<T | null>;
  /** Ordered by key; `query` is a prefix of the key. */
  list(options: { query?: string; cursor?: string; limit: number }): Promise<Page<T>>;
  update(key: string, patch: RoleOrGroupPatch, o: CascadeOptions): Promise<UpdateResult<T>>;
  /** Null if there is no such key. */
  delete(key: string, o: CascadeOptions): Promise<LoggedRevocation[] | null>;
}

/** Which link an assignment changes: a user's direct roles, a user's groups, or a group's roles. */
export type Link = { kind: "user_role"; userId: string } | { kind: "user_group"; userId: string } | { kind: "group_role"; groupKey: string };

export type AssignResult = { ok: true; changed: LoggedRevocation[] } | { ok: false; missing: string[] };

export interface AssignmentStore {
  /**
   * Adds (or, with `remove`, takes away) the roles or groups named by `keys` on the link. Fails with
   * the keys that name nothing (and the user or group itself, if missing); then nothing changes.
   */
  change(link: Link, keys: string[], o: CascadeOptions & { remove?: boolean }): Promise<AssignResult>;
  /** What the user holds directly and the groups they are in (keys, sorted); null if no such user. */
  ofUser(userId: string): Promise<{ roles: string[]; groups: string[] } | null>;
  /** The role keys a group carries, sorted; null if no such group. */
  ofGroup(groupKey: string): Promise<string[] | null>;
}

export interface UserSearchOptions {
  /** An exact value or a prefix of any login ID or attribute value (case-insensitive), or an exact user id. */
  query?: string;
  /** Users whose effective roles include this key. */
  role?: string;
  /** Users in this group. */
  group?: string;
  cursor?: string;
  limit: number;
}

export interface UserSearch {
  /**
   * Ordered by the matching value, then user id. A user matching on two values within one page is
   * listed once; across pages they may be listed again.
   */
  search(options: UserSearchOptions): Promise<Page<User>>;
}

export interface ProfileStorage {
  roles: RoleOrGroupStore<Role>;
  groups: RoleOrGroupStore<Group>;
  assignments: AssignmentStore;
  userSearch: UserSearch;
}
