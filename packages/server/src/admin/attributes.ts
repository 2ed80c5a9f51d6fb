// Admin API: a user's profile (standard and custom attributes, validated against user_profile) and
// the roles and groups they hold (Authgear's addUserToRoles, addUserToGroups and their removals).
import { updateProfile } from "../hooks/user-hooks.ts";
import type { Context } from "../context.ts";
import { applyProfilePatch, errorInWords, readableProfile } from "../attributes/profile.ts";
import { announceUserChanged } from "../session/revocation.ts";
import { AdminError, notFound } from "./errors.ts";
import { audit, mustGetUser, type Actor } from "./operations.ts";
import type { User } from "../domain/user.ts";
import type { AdminRoute } from "./route.ts";
import { changeLinks } from "./groups.ts";
import * as s from "./profile-schemas.ts";

/** Sets or removes (null) attributes, each checked against user_profile; nothing changes unless all pass. */
export async function adminUpdateAttributes(ctx: Context, actor: Actor, userId: string, body: { standard_attributes?: Record<string, unknown>; custom_attributes?: Record<string, unknown> }): Promise<User> {
  const user = await mustGetUser(ctx, userId);
  const r = applyProfilePatch(ctx.config.user_profile, user, body, "admin");
  if (!r.ok) {
    // Per field, as every refused admin request (validation-words.ts): the portal marks each one.
    throw new AdminError("GH_ADMIN_INVALID_REQUEST", r.errors.map(errorInWords).join("; "),
      r.errors.map((e) => ({ field: `${e.group}.${e.name}`, code: "custom", message: e.message.charAt(0).toUpperCase() + e.message.slice(1) })));
  }
  // user.profile.pre_update may refuse or change the attributes; user.profile.updated commits with the change.
  const saved = await updateProfile(ctx, user, { standardAttributes: r.standardAttributes, customAttributes: r.customAttributes }, { triggeredBy: "admin_api" });
  if (!saved.ok && "title" in saved) {
    throw new AdminError("GH_ADMIN_INVALID_REQUEST", saved.failed ? "a user.profile.pre_update hook failed (see the server log)" : `refused by a user.profile.pre_update hook: ${[saved.title, saved.reason].filter(Boolean).join(": ") || "disallowed"}`);
  }
  if (!saved.ok) throw notFound("user");
  const updated = saved.user;
  await announceUserChanged(ctx, user.id);
  await audit(ctx, actor, "user.update_attributes", "user", user.id, {
    standard_attributes: Object.keys(body.standard_attributes ?? {}), custom_attributes: Object.keys(body.custom_attributes ?? {}),
  });
  return updated;
}

export async function userRoles(ctx: Context, userId: string) {
  const held = await ctx.storage.assignments.ofUser(userId);
  if (!held) throw notFound("user");
  const user = await mustGetUser(ctx, userId);
  return { roles: held.roles, groups: held.groups, effective_roles: user.roles };
}

export const userProfileRoutes: AdminRoute[] = [
  {
    method: "GET", path: "/users/:id/attributes", summary: "A user's standard and custom attributes", response: s.profileSchema,
    handle: async (ctx, { params }) => readableProfile(ctx.config.user_profile, await mustGetUser(ctx, params.id), "admin"),
  },
  {
    method: "PATCH", path: "/users/:id/attributes", summary: "Set or remove (null) attributes; each value is checked against user_profile, and nothing changes unless all pass",
    body: s.profileBody, response: s.profileSchema,
    handle: async (ctx, { actor, params, body }) => readableProfile(ctx.config.user_profile, await adminUpdateAttributes(ctx, actor, params.id, body), "admin"),
  },
  {
    method: "GET", path: "/users/:id/roles", summary: "A user's direct roles, groups and effective roles", response: s.userRolesSchema,
    handle: (ctx, { params }) => userRoles(ctx, params.id),
  },
  {
    method: "POST", path: "/users/:id/roles", summary: "Give a user roles directly", body: s.rolesBody, response: s.userRolesSchema,
    async handle(ctx, { actor, params, body }) {
      await changeLinks(ctx, actor, { kind: "user_role", userId: params.id }, body.roles, false);
      return userRoles(ctx, params.id);
    },
  },
  {
    method: "DELETE", path: "/users/:id/roles/:role", summary: "Take a direct role away from a user", response: s.userRolesSchema,
    async handle(ctx, { actor, params }) {
      await changeLinks(ctx, actor, { kind: "user_role", userId: params.id }, [params.role], true);
      return userRoles(ctx, params.id);
    },
  },
  {
    method: "POST", path: "/users/:id/groups", summary: "Add a user to groups", body: s.groupsBody, response: s.userRolesSchema,
    async handle(ctx, { actor, params, body }) {
      await changeLinks(ctx, actor, { kind: "user_group", userId: params.id }, body.groups, false);
      return userRoles(ctx, params.id);
    },
  },
  {
    method: "DELETE", path: "/users/:id/groups/:group", summary: "Remove a user from a group", response: s.userRolesSchema,
    async handle(ctx, { actor, params }) {
      await changeLinks(ctx, actor, { kind: "user_group", userId: params.id }, [params.group], true);
      return userRoles(ctx, params.id);
    },
  },
];
