// Admin API: roles and groups (Authgear's createRole/updateRole/deleteRole and the group ones).
// The two are the same shape, so one set of routes serves both; keys name them in paths.
import type { Context } from "../context.ts";
import type { Role } from "../domain/roles.ts";
import type { RoleOrGroupPatch, RoleOrGroupStore } from "../storage/profile-ports.ts";
import { logOptions, usersChanged } from "../session/revocation.ts";
import { randomUUID } from "node:crypto";
import { AdminError, notFound } from "./errors.ts";
import { audit, type Actor } from "./operations.ts";
import type { AdminRoute } from "./route.ts";
import * as s from "./profile-schemas.ts";
import { emptySchema } from "./schemas.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();
export const presentRole = (r: Role) => ({ id: r.id, key: r.key, name: r.name, description: r.description, created_at: iso(r.createdAt), updated_at: iso(r.updatedAt) });

type Kind = "roles" | "groups";
const store = (ctx: Context, kind: Kind): RoleOrGroupStore<Role> => (kind === "roles" ? ctx.storage.roles : ctx.storage.groups);
const one = (kind: Kind): string => (kind === "roles" ? "role" : "group");

/** A group as the API shows it: with the keys of the roles it carries. */
async function present(ctx: Context, kind: Kind, item: Role) {
  return kind === "roles" ? presentRole(item) : { ...presentRole(item), roles: (await ctx.storage.assignments.ofGroup(item.key)) ?? [] };
}

/** The operations both the REST routes below and the GraphQL façade (admin/graphql/) call. */
export type RoleOrGroupKind = Kind;

export async function listRolesOrGroups(ctx: Context, kind: Kind, q: { query?: string; cursor?: string; limit: number }) {
  return store(ctx, kind).list({ query: q.query, cursor: q.cursor, limit: q.limit });
}

export async function getRoleOrGroup(ctx: Context, kind: Kind, key: string): Promise<Role> {
  const item = await store(ctx, kind).get(key);
  if (!item) throw notFound(one(kind));
  return item;
}

export async function createRoleOrGroup(ctx: Context, actor: Actor, kind: Kind, body: { key: string; name?: string | null; description?: string | null }): Promise<Role> {
  const what = one(kind);
  const now = ctx.now();
  const created = await store(ctx, kind).create({ id: randomUUID(), key: body.key, name: body.name ?? null, description: body.description ?? null, createdAt: now, updatedAt: now });
  if (!created) throw new AdminError("GH_ADMIN_CONFLICT", `a ${what} with this key already exists`);
  await audit(ctx, actor, `${what}.create`, what, created.key, { key: created.key });
  return created;
}

export async function updateRoleOrGroup(ctx: Context, actor: Actor, kind: Kind, key: string, patch: RoleOrGroupPatch): Promise<Role> {
  const what = one(kind);
  const r = await store(ctx, kind).update(key, patch, logOptions(ctx));
  if (!r.ok) throw r.reason === "not_found" ? notFound(what) : new AdminError("GH_ADMIN_CONFLICT", `a ${what} with this key already exists`);
  usersChanged(ctx, r.changed);
  await audit(ctx, actor, `${what}.update`, what, r.item.key, { from: key, fields: Object.keys(patch) });
  return r.item;
}

export async function deleteRoleOrGroup(ctx: Context, actor: Actor, kind: Kind, key: string): Promise<void> {
  const what = one(kind);
  const changed = await store(ctx, kind).delete(key, logOptions(ctx));
  if (!changed) throw notFound(what);
  usersChanged(ctx, changed);
  await audit(ctx, actor, `${what}.delete`, what, key, { users: changed.length });
}

export function roleOrGroupRoutes(kind: Kind): AdminRoute[] {
  const schema = kind === "roles" ? s.roleSchema : s.groupSchema;
  const what = one(kind);
  return [
    {
      method: "GET", path: `/${kind}`, summary: `List ${kind} by key, optionally by key prefix`, query: s.listQuery,
      response: kind === "roles" ? s.roleListSchema : s.groupListSchema,
      async handle(ctx, { query }) {
        const page = await listRolesOrGroups(ctx, kind, query);
        return { items: page.items.map(presentRole), next_cursor: page.nextCursor };
      },
    },
    {
      method: "POST", path: `/${kind}`, summary: `Create a ${what}`, body: s.createBody, response: schema, status: 201,
      handle: async (ctx, { actor, body }) => present(ctx, kind, await createRoleOrGroup(ctx, actor, kind, body)),
    },
    {
      method: "GET", path: `/${kind}/:key`, summary: `Get a ${what}`, response: schema,
      handle: async (ctx, { params }) => present(ctx, kind, await getRoleOrGroup(ctx, kind, params.key)),
    },
    {
      method: "PATCH", path: `/${kind}/:key`, summary: `Change a ${what}'s key, name or description (a new key reaches every holder's next token)`,
      body: s.updateBody, response: schema,
      handle: async (ctx, { actor, params, body }) => present(ctx, kind, await updateRoleOrGroup(ctx, actor, kind, params.key, body)),
    },
    {
      method: "DELETE", path: `/${kind}/:key`, summary: `Delete a ${what}: its holders lose it from their next token`, response: emptySchema,
      async handle(ctx, { actor, params }) {
        await deleteRoleOrGroup(ctx, actor, kind, params.key);
        return {};
      },
    },
  ];
}
