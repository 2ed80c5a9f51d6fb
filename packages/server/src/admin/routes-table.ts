// The admin API as data: each route names its schemas once, and both the Fastify adapter and the
// OpenAPI document are built from this table.
import { z } from "zod";
import type { Context } from "../context.ts";
import * as s from "./schemas.ts";
import * as op from "./operations.ts";
import { presentClient, presentUser } from "./present.ts";
import { notFound } from "./errors.ts";
import type { AdminRoute } from "./route.ts";
import { roleOrGroupRoutes } from "./roles.ts";
import { groupRoleRoutes } from "./groups.ts";
import { userProfileRoutes } from "./attributes.ts";
import { hookRoutes } from "./hooks.ts";
import { listAuditLog } from "./audit-view.ts";
import { accountDeletionRoutes } from "./account-deletion.ts";
import { presentAdminKey, revokeAdminKey } from "./keys.ts";
import { adminRemoveMfa, adminResetLockout, adminUserSecurity } from "./user-security.ts";
import { deviceKeyAdminRoutes } from "./device-keys.ts";
import { userImportRoutes } from "./user-import.ts";
import {
  addLoginIdBody, adminAddLoginId, adminListIdentities, adminLookupUser, adminRemoveIdentity, identityListSchema, identitySchema, lookupQuery,
} from "./identities.ts";

const auditAs = (ctx: Context, actor: op.Actor) => (action: string, userId: string, details: Record<string, unknown>) =>
  op.audit(ctx, actor, action, "user", userId, details);

export type { AdminRoute };

const empty = async (): Promise<Record<string, never>> => ({});

export const adminRoutes: AdminRoute[] = [
  {
    method: "GET", path: "/users",
    summary: "List users by creation; or search: `query` is an exact value or a prefix of any login ID or attribute value (or an exact id), `role` an effective role, `group` a group",
    query: s.listQuery, response: s.userListSchema,
    async handle(ctx, { query }) {
      const page = await op.adminListUsers(ctx, query);
      return { items: page.items.map(presentUser), next_cursor: page.nextCursor };
    },
  },
  { method: "GET", path: "/users/lookup", summary: "Find the user holding a login ID (login_id_key + login_id) or an OAuth account (provider_alias + provider_subject)",
    query: lookupQuery, response: s.userSchema, handle: async (ctx, { query }) => presentUser(await adminLookupUser(ctx, query)) },
  { method: "POST", path: "/users", summary: "Create a user with an email and password", body: s.createUserBody, response: s.userSchema, status: 201,
    handle: (ctx, { actor, body }) => op.adminCreateUser(ctx, actor, body) },
  { method: "GET", path: "/users/:id", summary: "Get a user", response: s.userSchema, handle: (ctx, { params }) => op.adminGetUser(ctx, params.id) },
  { method: "PATCH", path: "/users/:id", summary: "Update a user's email, verification or roles", body: s.updateUserBody, response: s.userSchema,
    handle: (ctx, { actor, params, body }) => op.adminUpdateUser(ctx, actor, params.id, body) },
  { method: "POST", path: "/users/:id/disable", summary: "Disable a user: every token and session stops working at once", body: s.disableBody, response: s.userSchema,
    handle: (ctx, { actor, params, body }) => op.adminSetDisabled(ctx, actor, params.id, true, body.reason) },
  { method: "POST", path: "/users/:id/enable", summary: "Enable a disabled user", response: s.userSchema,
    handle: (ctx, { actor, params }) => op.adminSetDisabled(ctx, actor, params.id, false, "") },
  { method: "DELETE", path: "/users/:id", summary: "Delete a user and everything they own", response: s.emptySchema,
    handle: async (ctx, { actor, params }) => { await op.adminDeleteUser(ctx, actor, params.id); return {}; } },
  { method: "POST", path: "/users/:id/password", summary: "Set a user's password", body: s.passwordBody, response: s.emptySchema,
    handle: async (ctx, { actor, params, body }) => { await op.adminSetPassword(ctx, actor, params.id, body.password); return {}; } },
  { method: "GET", path: "/users/:id/sessions", summary: "List a user's live sessions and refresh-token grants", response: s.sessionListSchema,
    handle: (ctx, { params }) => op.adminListSessions(ctx, params.id) },
  { method: "DELETE", path: "/users/:id/sessions/:sid", summary: "Revoke one session or grant", response: s.emptySchema,
    handle: async (ctx, { actor, params }) => { await op.adminRevokeSession(ctx, actor, params.id, params.sid); return {}; } },
  { method: "DELETE", path: "/users/:id/sessions", summary: "Revoke all of a user's sessions and grants", response: s.emptySchema,
    handle: async (ctx, { actor, params }) => { await op.adminRevokeAllSessions(ctx, actor, params.id); return {}; } },
  { method: "GET", path: "/users/:id/identities", summary: "List a user's identities (login IDs, OAuth accounts, passkeys)", response: identityListSchema,
    handle: (ctx, { params }) => adminListIdentities(ctx, params.id) },
  { method: "POST", path: "/users/:id/identities", summary: "Add a login ID under a configured key (identity.login_id.keys)", body: addLoginIdBody, response: identitySchema, status: 201,
    handle: (ctx, { actor, params, body }) => adminAddLoginId(ctx, auditAs(ctx, actor), params.id, body) },
  { method: "DELETE", path: "/users/:id/identities/:identityId", summary: "Remove an identity (never the user's last)", response: s.emptySchema,
    handle: async (ctx, { actor, params }) => { await adminRemoveIdentity(ctx, auditAs(ctx, actor), params.id, params.identityId); return {}; } },
  { method: "GET", path: "/clients", summary: "List OAuth clients with their token settings", response: s.clientListSchema,
    handle: async (ctx) => ({ items: ctx.clients.all().map(presentClient) }) },
  { method: "GET", path: "/clients/:id", summary: "Get a client", response: s.clientSchema,
    async handle(ctx, { params }) {
      const c = ctx.clients.get(params.id);
      if (!c) throw notFound("client");
      return presentClient(c);
    } },
  { method: "PATCH", path: "/clients/:id", summary: "Update a client's token lifetimes and refresh settings (stored; survives restarts)", body: s.updateClientBody, response: s.clientSchema,
    handle: (ctx, { actor, params, body }) => op.adminUpdateClient(ctx, actor, params.id, body) },
  { method: "GET", path: "/users/:id/security", summary: "A user's lockout and second factors", response: s.userSecuritySchema,
    handle: (ctx, { params }) => adminUserSecurity(ctx, params.id) },
  { method: "DELETE", path: "/users/:id/lockout", summary: "Clear a user's account lockout and failed attempts", response: s.userSecuritySchema,
    handle: (ctx, { actor, params }) => adminResetLockout(ctx, actor, params.id) },
  { method: "DELETE", path: "/users/:id/mfa", summary: "Remove a user's TOTP and recovery codes (a lost phone); ends nothing else", response: s.userSecuritySchema,
    handle: (ctx, { actor, params }) => adminRemoveMfa(ctx, actor, params.id) },
  {
    method: "GET", path: "/audit-log", summary: "The audit log, newest first, by user and by event type", query: s.auditQuery, response: s.auditListSchema,
    handle: (ctx, { query }) => listAuditLog(ctx, query),
  },
  ...roleOrGroupRoutes("roles"),
  ...roleOrGroupRoutes("groups"),
  ...groupRoleRoutes,
  ...userProfileRoutes,
  ...accountDeletionRoutes,
  ...deviceKeyAdminRoutes,
  ...hookRoutes,
  ...userImportRoutes,
  { method: "GET", path: "/admin-keys", summary: "List admin API keys (name, created, last used, revoked)", response: s.adminKeyListSchema,
    handle: async (ctx) => ({ items: (await ctx.storage.adminKeys.list()).map(presentAdminKey) }) },
  { method: "DELETE", path: "/admin-keys/:id", summary: "Revoke an admin API key (by id, or by the name of one live key); it fails its next request", response: s.adminKeySchema,
    handle: async (ctx, { actor, params }) => presentAdminKey(await revokeAdminKey(ctx, actor.id, params.id)) },
];

void empty;
