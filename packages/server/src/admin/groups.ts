// Admin API: the roles a group carries (Authgear's addRoleToGroups / removeRoleFromGroups). Every
// member's effective roles change with them, in their next token.
import type { Context } from "../context.ts";
import type { Link } from "../storage/profile-ports.ts";
import { logOptions, usersChanged } from "../session/revocation.ts";
import { AdminError } from "./errors.ts";
import { audit, type Actor } from "./operations.ts";
import type { AdminRoute } from "./route.ts";
import { presentRole } from "./roles.ts";
import * as s from "./profile-schemas.ts";

/** Adds or removes links; names every key that does not exist (404 when it is the subject, else 400). */
export async function changeLinks(ctx: Context, actor: Actor, link: Link, keys: string[], remove: boolean): Promise<void> {
  const r = await ctx.storage.assignments.change(link, keys, { ...logOptions(ctx), remove });
  const subject = link.kind === "group_role" ? link.groupKey : link.userId;
  if (!r.ok) {
    if (r.missing[0] === subject) throw new AdminError("GH_ADMIN_NOT_FOUND", `${link.kind === "group_role" ? "group" : "user"} not found`);
    throw new AdminError("GH_ADMIN_INVALID_REQUEST", `no such ${link.kind === "user_group" ? "group" : "role"}: ${r.missing.join(", ")}`);
  }
  usersChanged(ctx, r.changed);
  await audit(ctx, actor, `${link.kind}.${remove ? "remove" : "add"}`, link.kind === "group_role" ? "group" : "user", subject, { keys, users: r.changed.length });
}

async function presentGroup(ctx: Context, key: string) {
  const group = (await ctx.storage.groups.get(key))!;
  return { ...presentRole(group), roles: (await ctx.storage.assignments.ofGroup(key)) ?? [] };
}

export const groupRoleRoutes: AdminRoute[] = [
  {
    method: "POST", path: "/groups/:key/roles", summary: "Add roles to a group (every member gets them)", body: s.rolesBody, response: s.groupSchema,
    async handle(ctx, { actor, params, body }) {
      await changeLinks(ctx, actor, { kind: "group_role", groupKey: params.key }, body.roles, false);
      return presentGroup(ctx, params.key);
    },
  },
  {
    method: "DELETE", path: "/groups/:key/roles/:role", summary: "Take a role away from a group", response: s.groupSchema,
    async handle(ctx, { actor, params }) {
      await changeLinks(ctx, actor, { kind: "group_role", groupKey: params.key }, [params.role], true);
      return presentGroup(ctx, params.key);
    },
  },
];
