// Admin API: roles and groups (Authgear's createRole/updateRole/deleteRole and the group ones).
// The two are the same shape, so one set of routes serves both; keys name them in paths.
import type { Context } from "../context.ts";
import type { Role } from "../domain/roles.ts";
import type { RoleOrGroupStore } from "../storage/profile-ports.ts";
import { logOptions, usersChanged } from "../session/revocation.ts";
import { randomUUID } from "node:crypto";
import { AdminError, notFound } from "./errors.ts";
import { audit } from "./operations.ts";
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

export function roleOrGroupRoutes(kind: Kind): AdminRoute[] {
  const schema = kind === "roles" ? s.roleSchema : s.groupSchema;
  const what = one(kind);
  return [
    {
      method: "GET", path: `/${kind}`, summary: `List ${kind} by key, optionally by key prefix`, query: s.listQuery,
      response: kind === "roles" ? s.roleListSchema : s.groupListSchema,
      async handle(ctx, { query }) {
        const page = await store(ctx, kind).list({ query: query.query, cursor: query.cursor, limit: query.limit });
        return { items: page.items.map(presentRole), next_cursor: page.nextCursor };
      },
    },
    {
      method: "POST", path: `/${kind}`, summary: `Create a ${what}`, body: s.createBody, response: schema, status: 201,
      async handle(ctx, { actor, body }) {
        const now = ctx.now();
        const created = await store(ctx, kind).create({ id: randomUUID(), key: body.key, name: body.name ?? null, description: body.description ?? null, createdAt: now, updatedAt: now });
        if (!created) throw new AdminError("GH_ADMIN_CONFLICT", `a ${what} with this key already exists`);
        await audit(ctx, actor, `${what}.create`, what, created.key, { key: created.key });
        return present(ctx, kind, created);
      },
    },
    {
      method: "GET", path: `/${kind}/:key`, summary: `Get a ${what}`, response: schema,
      async handle(ctx, { params }) {
        const item = await store(ctx, kind).get(params.key);
        if (!item) throw notFound(what);
        return present(ctx, kind, item);
      },
    },
    {
      method: "PATCH", path: `/${kind}/:key`, summary: `Change a ${what}'s key, name or description (a new key reaches every holder's next token)`,
      body: s.updateBody, response: schema,
      async handle(ctx, { actor, params, body }) {
        const r = await store(ctx, kind).update(params.key, body, logOptions(ctx));
        if (!r.ok) throw r.reason === "not_found" ? notFound(what) : new AdminError("GH_ADMIN_CONFLICT", `a ${what} with this key already exists`);
        usersChanged(ctx, r.changed);
        await audit(ctx, actor, `${what}.update`, what, r.item.key, { from: params.key, fields: Object.keys(body) });
        return present(ctx, kind, r.item);
      },
    },
    {
      method: "DELETE", path: `/${kind}/:key`, summary: `Delete a ${what}: its holders lose it from their next token`, response: emptySchema,
      async handle(ctx, { actor, params }) {
        const changed = await store(ctx, kind).delete(params.key, logOptions(ctx));
        if (!changed) throw notFound(what);
        usersChanged(ctx, changed);
        await audit(ctx, actor, `${what}.delete`, what, params.key, { users: changed.length });
        return {};
      },
    },
  ];
}
