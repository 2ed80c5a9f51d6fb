// Authgear's admin API queries, each calling the operation the REST admin API calls.
import type { Context } from "../../context.ts";
import type { User } from "../../domain/user.ts";
import type { Role } from "../../domain/roles.ts";
import { LOGIN_ID_CLAIM } from "../../domain/identity.ts";
import { normaliseLoginId } from "../../identity/login-id/index.ts";
import { isUserId } from "../../input/ids.ts";
import { decodeSid } from "../../tokens/sid.ts";
import { listUserSessions } from "../../session/user-sessions.ts";
import { adminListUsers } from "../operations.ts";
import { adminLookupUser, lookupQuery } from "../identities.ts";
import { listRolesOrGroups } from "../roles.ts";
import { listAuditLog } from "../audit-view.ts";
import { AdminError } from "../errors.ts";
import { listQuery } from "../profile-schemas.ts";
import { listQuery as userListQuery } from "../schemas.ts";
import { parseRequest } from "../parse-request.ts";
import { fromGlobalId, type NodeType } from "./ids.ts";
import { pagedConnection, type ConnectionArgs } from "./connections.ts";
import { actionsOf } from "./audit-types.ts";
import { apiError, invalid, notSupported } from "./errors.ts";
import { allOf, authenticatorById, presentAuditLog, presentGroup, presentIdentity, presentRole, presentSession, presentUser } from "./present.ts";

type Args = ConnectionArgs & Record<string, any>;

/** The local id a global ID of `type` names; Authgear's "invalid <what> ID" otherwise. */
export function localId(globalId: string, type: NodeType): string {
  const ref = fromGlobalId(globalId);
  if (!ref || ref.type !== type) throw invalid(`invalid ${type === "User" ? "user" : type.toLowerCase()} ID`);
  return ref.id;
}

/** A role or group by its own id (the store is keyed by key; a project has few of them). */
export async function roleOrGroupById(ctx: Context, kind: "roles" | "groups", globalId: string): Promise<Role | null> {
  const id = localId(globalId, kind === "roles" ? "Role" : "Group");
  return (await allOf(ctx, kind)).find((r) => r.id === id) ?? null;
}

async function node(ctx: Context, globalId: string): Promise<unknown> {
  const ref = fromGlobalId(globalId);
  if (!ref) return null;
  switch (ref.type) {
    case "User": {
      const user = isUserId(ref.id) ? await ctx.storage.users.get(ref.id) : null;
      return user ? presentUser(ctx, user) : null;
    }
    case "Identity": {
      const [userId, identityId] = ref.id.split(".");
      if (!isUserId(userId)) return null;
      const identity = (await ctx.storage.identities.listByUser(userId)).find((i) => i.id === identityId);
      return identity ? presentIdentity(identity) : null;
    }
    case "Session": {
      const sid = decodeSid(ref.id);
      const owner = sid && (sid.kind === "idp_session" ? await ctx.storage.sessions.get(sid.id) : await ctx.storage.offlineGrants.get(sid.id));
      const session = owner ? (await listUserSessions(ctx, owner.userId)).find((s) => s.sid === ref.id) : undefined;
      return session ? presentSession(session) : null;
    }
    case "Role":
    case "Group": {
      const kind = ref.type === "Role" ? "roles" : "groups";
      const item = (await allOf(ctx, kind)).find((r) => r.id === ref.id);
      return item ? (kind === "roles" ? presentRole(ctx, item) : presentGroup(ctx, item)) : null;
    }
    case "AuditLog": {
      // The audit log pages newest first below a cursor id: the page below id+1 starts with id.
      const n = /^\d{1,15}$/.test(ref.id) ? Number(ref.id) : NaN;
      if (!Number.isSafeInteger(n)) return null;
      const entry = (await listAuditLog(ctx, { cursor: String(n + 1), limit: 1 })).items[0];
      return entry && entry.id === n ? presentAuditLog(ctx, entry) : null;
    }
    case "Authenticator":
      return authenticatorById(ctx, ref.id);
  }
}

/** Authgear answers null, not an error, when the identity names no user. */
async function lookup(ctx: Context, query: Record<string, string>): Promise<unknown> {
  try {
    return presentUser(ctx, await adminLookupUser(ctx, parseRequest(lookupQuery, query, "arguments")));
  } catch (err) {
    if (err instanceof AdminError && err.code === "GH_ADMIN_NOT_FOUND") return null;
    throw err;
  }
}

const STANDARD_LOOKUPS = new Set(["email", "phone_number", "preferred_username"]);

/** Every user whose login ID of the attribute's type (email, phone, username) is the value. */
async function usersByStandardAttribute(ctx: Context, name: string, value: string): Promise<unknown[]> {
  if (!STANDARD_LOOKUPS.has(name)) throw apiError("Invalid", "GetUsersInvalidArgument", "attributeName must be email, phone_number or preferred_username");
  if (value.length > 320) throw apiError("Invalid", "GetUsersInvalidArgument", "attributeValue is too long");
  const found = new Map<string, User>();
  for (const key of ctx.config.identity.login_id.keys) {
    if (LOGIN_ID_CLAIM[key.type] !== name) continue;
    const n = normaliseLoginId(ctx.config, key, value);
    const identity = n.ok ? await ctx.storage.identities.findByLoginId(key.key, n.loginId) : null;
    const user = identity ? await ctx.storage.users.get(identity.userId) : null;
    if (user) found.set(user.id, user);
  }
  return [...found.values()].map((u) => presentUser(ctx, u));
}

function onlyOne(values: string[] | null | undefined, what: string): string | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw notSupported(`${what} with more than one value`);
  return values[0];
}

async function users(ctx: Context, args: Args) {
  if (args.sortBy === "LAST_LOGIN_AT") throw notSupported("users(sortBy: LAST_LOGIN_AT)");
  if (args.sortDirection === "DESC") throw notSupported("users(sortDirection: DESC)");
  // The REST list's own checks on the search, role and group.
  const { query, role, group } = parseRequest(userListQuery, {
    query: args.searchKeyword || undefined, role: onlyOne(args.roleKeys, "users(roleKeys)"), group: onlyOne(args.groupKeys, "users(groupKeys)"),
  }, "arguments");
  return pagedConnection(args, (cursor, limit) => adminListUsers(ctx, { query, role, group, cursor, limit }), (u) => presentUser(ctx, u));
}

function rolesOrGroups(ctx: Context, kind: "roles" | "groups", args: Args) {
  const q = parseRequest(listQuery, { query: args.searchKeyword ?? undefined }, "arguments");
  const excluded = new Set((args.excludedIDs ?? []).map((id: string) => localId(id, kind === "roles" ? "Role" : "Group")));
  return pagedConnection(args, async (cursor, limit) => {
    const page = await listRolesOrGroups(ctx, kind, { query: q.query, cursor, limit });
    return { items: page.items.filter((r) => !excluded.has(r.id)), nextCursor: page.nextCursor };
  }, (r) => (kind === "roles" ? presentRole(ctx, r) : presentGroup(ctx, r)));
}

async function auditLogs(ctx: Context, args: Args) {
  if (args.rangeFrom || args.rangeTo) throw notSupported("auditLogs(rangeFrom, rangeTo)");
  if (args.sortDirection === "ASC") throw notSupported("auditLogs(sortDirection: ASC)");
  const userId = onlyOne(args.userIDs?.map((id: string) => localId(id, "User")), "auditLogs(userIDs)");
  const type = onlyOne(args.activityTypes, "auditLogs(activityTypes)");
  const actions = type ? actionsOf(type) : [];
  if (type && actions.length > 1) throw notSupported(`auditLogs(activityTypes: ${type}), which Gatehouse records as ${actions.join(" and ")}; filter by those in the REST audit log`);
  // An activity Gatehouse never records: nothing can match.
  if (type && actions.length === 0) return pagedConnection(args, async () => ({ items: [], nextCursor: null }), (e) => e);
  return pagedConnection(args, (cursor, limit) => listAuditLog(ctx, { cursor, limit, user_id: userId, action: actions[0] }).then((p) => ({ items: p.items, nextCursor: p.next_cursor })),
    (e) => presentAuditLog(ctx, e));
}

/** The Query root: field name → resolver (graphql-js calls them with the arguments). */
export function queryRoot(ctx: Context) {
  return {
    node: (args: { id: string }) => node(ctx, args.id),
    nodes: (args: { ids: string[] }) => {
      if (args.ids.length > 100) throw invalid("nodes: at most 100 IDs");
      return Promise.all(args.ids.map((id) => node(ctx, id)));
    },
    users: (args: Args) => users(ctx, args),
    getUserByLoginID: (args: { loginIDKey: string; loginIDValue: string }) => lookup(ctx, { login_id_key: args.loginIDKey, login_id: args.loginIDValue }),
    getUserByOAuth: (args: { oauthProviderAlias: string; oauthProviderUserID: string }) =>
      lookup(ctx, { provider_alias: args.oauthProviderAlias, provider_subject: args.oauthProviderUserID }),
    getUsersByStandardAttribute: (args: { attributeName: string; attributeValue: string }) => usersByStandardAttribute(ctx, args.attributeName, args.attributeValue),
    roles: (args: Args) => rolesOrGroups(ctx, "roles", args),
    groups: (args: Args) => rolesOrGroups(ctx, "groups", args),
    auditLogs: (args: Args) => auditLogs(ctx, args),
  };
}
