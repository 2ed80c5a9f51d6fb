// Gatehouse's models in the shapes of Authgear's admin API types. Fields that cost a read are
// functions: graphql-js calls them only when a query selects them.
import type { Context } from "../../context.ts";
import type { User } from "../../domain/user.ts";
import type { Identity } from "../../domain/identity.ts";
import type { Role } from "../../domain/roles.ts";
import type { listAuditLog } from "../audit-view.ts";
import { readableProfile } from "../../attributes/profile.ts";
import { listUserSessions, type UserSession } from "../../session/user-sessions.ts";
import { toGlobalId } from "./ids.ts";
import { listConnection, pagedConnection, type ConnectionArgs } from "./connections.ts";
import { activityTypeOf } from "./audit-types.ts";
import { isUserId } from "../../input/ids.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();
type Args = ConnectionArgs & Record<string, unknown>;

export function presentUser(ctx: Context, u: User) {
  const identities = (() => {
    let loaded: Promise<Identity[]> | undefined;
    return () => (loaded ??= ctx.storage.identities.listByUser(u.id));
  })();
  const held = (() => {
    let loaded: Promise<{ roles: string[]; groups: string[] } | null> | undefined;
    return () => (loaded ??= ctx.storage.assignments.ofUser(u.id));
  })();
  const standard = (): Record<string, unknown> => {
    const attrs = readableProfile(ctx.config.user_profile, u, "admin").standard_attributes;
    return { ...attrs, ...(u.email !== null ? { email_verified: u.isVerified } : {}), updated_at: u.updatedAt };
  };
  const ofType = (type: Identity["type"]) => async () => (await identities()).filter((i) => i.type === type).map((i) => presentIdentity(i));
  const rolesByKeys = async (keys: string[]) => (await Promise.all(keys.map((k) => ctx.storage.roles.get(k)))).filter((r): r is Role => r !== null);
  return {
    __typename: "User",
    id: toGlobalId("User", u.id),
    createdAt: iso(u.createdAt),
    updatedAt: iso(u.updatedAt),
    // The last sign-in the audit log holds (audit/events.ts records every one).
    lastLoginAt: async () => {
      const page = await ctx.storage.auditLog.list({ targetId: u.id, action: "user.authenticated", limit: 1 });
      return page.items[0] ? iso(page.items[0].at) : null;
    },
    isAnonymous: u.isAnonymous,
    isAnonymized: false,
    isDisabled: u.disabled,
    isDeactivated: false,
    disableReason: u.disabledReason,
    deleteAt: async () => {
      const scheduled = await ctx.storage.accountDeletions.get(u.id);
      return scheduled ? iso(scheduled.deleteAt) : null;
    },
    anonymizeAt: null,
    standardAttributes: standard,
    customAttributes: () => readableProfile(ctx.config.user_profile, u, "admin").custom_attributes,
    formattedName: () => {
      const s = standard();
      return typeof s.name === "string" ? s.name : [s.given_name, s.middle_name, s.family_name].filter((p) => typeof p === "string" && p).join(" ") || null;
    },
    endUserAccountID: () => {
      const s = standard();
      return (s.email ?? s.phone_number ?? s.preferred_username ?? null) as string | null;
    },
    verifiedClaims: () => (u.email !== null && u.isVerified ? [{ name: "email", value: u.email }] : []),
    identities: async (args: Args) => {
      const type = args.identityType ? String(args.identityType).toLowerCase() : null;
      return listConnection(args, (await identities()).filter((i) => type === null || i.type === type), presentIdentity);
    },
    loginIDs: ofType("login_id"),
    oauthConnections: ofType("oauth"),
    passkeys: ofType("passkey"),
    authenticators: async (args: Args) => listConnection(args, (await authenticatorsOf(ctx, u)).filter((a) =>
      (!args.authenticatorKind || a.kind === args.authenticatorKind) && (!args.authenticatorType || a.type === args.authenticatorType)), (a) => a),
    primaryPassword: async () => (await authenticatorsOf(ctx, u)).find((a) => a.type === "PASSWORD") ?? null,
    secondaryTOTPAuthenticators: async () => (await authenticatorsOf(ctx, u)).filter((a) => a.type === "TOTP"),
    sessions: async (args: Args) => listConnection(args, await listUserSessions(ctx, u.id), presentSession),
    roles: async (args: Args) => listConnection(args, await rolesByKeys((await held())?.roles ?? []), (r) => presentRole(ctx, r)),
    groups: async (args: Args) => listConnection(args, (await Promise.all(((await held())?.groups ?? []).map((k) => ctx.storage.groups.get(k)))).filter((g): g is Role => g !== null), (g) => presentGroup(ctx, g)),
    effectiveRoles: async (args: Args) => listConnection(args, await rolesByKeys(u.roles), (r) => presentRole(ctx, r)),
  };
}

const LOGIN_ID_CLAIMS = "https://authgear.com/claims/login_id";
const OAUTH_CLAIMS = "https://authgear.com/claims/oauth";

/** Claims as Authgear shows an identity's: the standard ones, then its own under authgear.com URIs. */
export function presentIdentity(i: Identity) {
  const claims: Record<string, unknown> = { ...i.claims };
  if (i.type === "login_id") {
    Object.assign(claims, {
      [`${LOGIN_ID_CLAIMS}/key`]: i.loginIdKey, [`${LOGIN_ID_CLAIMS}/type`]: i.loginIdType,
      [`${LOGIN_ID_CLAIMS}/value`]: i.loginId, [`${LOGIN_ID_CLAIMS}/original_value`]: i.originalLoginId,
    });
  } else if (i.type === "oauth") {
    Object.assign(claims, { [`${OAUTH_CLAIMS}/provider_alias`]: i.providerAlias, [`${OAUTH_CLAIMS}/subject_id`]: i.providerSubject });
  }
  return {
    __typename: "Identity",
    // The owner's id too: the identity store is read by user, and node() must find it.
    id: toGlobalId("Identity", `${i.userId}.${i.id}`),
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
    type: i.type.toUpperCase(),
    claims: (args: { names?: string[] | null }) => (args.names ? Object.fromEntries(Object.entries(claims).filter(([k]) => args.names!.includes(k))) : claims),
  };
}

/** Password (primary) and TOTP (secondary): the authenticators Gatehouse keeps per user. */
async function authenticatorsOf(ctx: Context, u: User) {
  const out = [];
  if (await ctx.storage.passwords.get(u.id)) {
    out.push({ __typename: "Authenticator", id: toGlobalId("Authenticator", `${u.id}.password`), createdAt: iso(u.createdAt), updatedAt: iso(u.updatedAt), type: "PASSWORD", kind: "PRIMARY", isDefault: true, claims: () => ({}) });
  }
  const totp = await ctx.storage.totp.get(u.id);
  if (totp?.confirmedAt != null) {
    out.push({ __typename: "Authenticator", id: toGlobalId("Authenticator", `${u.id}.totp`), createdAt: iso(totp.confirmedAt), updatedAt: iso(totp.confirmedAt), type: "TOTP", kind: "SECONDARY", isDefault: true, claims: () => ({}) });
  }
  return out;
}

/** An authenticator by its own id (`<user id>.password` / `.totp`), or null. */
export async function authenticatorById(ctx: Context, id: string) {
  const [userId, which] = id.split(".");
  const user = isUserId(userId) ? await ctx.storage.users.get(userId) : null;
  if (!user) return null;
  return (await authenticatorsOf(ctx, user)).find((a) => a.type === (which === "password" ? "PASSWORD" : which === "totp" ? "TOTP" : "")) ?? null;
}

export function presentSession(s: UserSession) {
  return {
    __typename: "Session",
    id: toGlobalId("Session", s.sid),
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.lastAccessedAt),
    type: s.kind === "idp_session" ? "IDP" : "OFFLINE_GRANT",
    acr: "",
    amr: s.amr,
    clientID: s.clientId,
    createdByIP: s.ip,
    lastAccessedAt: iso(s.lastAccessedAt),
    lastAccessedByIP: s.ip,
    displayName: s.clientName ?? s.device,
    userAgent: s.userAgent || null,
  };
}

function roleBase(r: Role, type: "Role" | "Group") {
  return { __typename: type, id: toGlobalId(type, r.id), createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt), key: r.key, name: r.name, description: r.description };
}

const usersHolding = (ctx: Context, filter: { role?: string; group?: string }) => (args: Args) =>
  pagedConnection(args, (cursor, limit) => ctx.storage.userSearch.search({ ...filter, cursor, limit }), (u) => presentUser(ctx, u));

export function presentRole(ctx: Context, r: Role) {
  return {
    ...roleBase(r, "Role"),
    // The groups carrying the role: read from every group's roles (a project has few groups).
    groups: async (args: Args) => {
      const carrying: Role[] = [];
      for (const g of await allOf(ctx, "groups")) if ((await ctx.storage.assignments.ofGroup(g.key))?.includes(r.key)) carrying.push(g);
      return listConnection(args, carrying, (g) => presentGroup(ctx, g));
    },
    users: usersHolding(ctx, { role: r.key }),
  };
}

export function presentGroup(ctx: Context, g: Role) {
  return {
    ...roleBase(g, "Group"),
    roles: async (args: Args) => {
      const keys = (await ctx.storage.assignments.ofGroup(g.key)) ?? [];
      const roles = (await Promise.all(keys.map((k) => ctx.storage.roles.get(k)))).filter((r): r is Role => r !== null);
      return listConnection(args, roles, (r) => presentRole(ctx, r));
    },
    users: usersHolding(ctx, { group: g.key }),
  };
}

/** Every role or group, page by page (ids are looked up this way: the store is keyed by key). */
export async function allOf(ctx: Context, kind: "roles" | "groups"): Promise<Role[]> {
  const out: Role[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.storage[kind].list({ cursor, limit: 200 });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < 10_000);
  return out;
}

/** An entry as the REST audit view lists it (admin/audit-view.ts), in Authgear's AuditLog shape. */
export type AuditItem = Awaited<ReturnType<typeof listAuditLog>>["items"][number];

export function presentAuditLog(ctx: Context, e: AuditItem) {
  const detail = (name: string): string | null => (typeof e.details[name] === "string" ? (e.details[name] as string) : null);
  return {
    __typename: "AuditLog",
    id: toGlobalId("AuditLog", String(e.id)),
    activityType: activityTypeOf(e.action),
    createdAt: e.at,
    clientID: detail("client_id"),
    ipAddress: detail("ip"),
    userAgent: detail("user_agent"),
    user: async () => {
      const user = e.target_type === "user" && isUserId(e.target_id) ? await ctx.storage.users.get(e.target_id) : null;
      return user ? presentUser(ctx, user) : null;
    },
    data: { action: e.action, actor: e.actor, actor_name: e.actor_name, target_type: e.target_type, target_id: e.target_id, target_name: e.target_name, details: e.details },
  };
}
