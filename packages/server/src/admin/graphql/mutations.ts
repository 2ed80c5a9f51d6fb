// Authgear's admin API mutations, each calling the operation the REST admin API calls, with the
// same request schemas (so both refuse the same input with the same words).
import type { Context } from "../../context.ts";
import { decodeSid } from "../../tokens/sid.ts";
import * as op from "../operations.ts";
import { adminUpdateAttributes } from "../attributes.ts";
import { changeLinks } from "../groups.ts";
import { createRoleOrGroup, deleteRoleOrGroup, getRoleOrGroup, updateRoleOrGroup } from "../roles.ts";
import { readableProfile } from "../../attributes/profile.ts";
import { createUserBody, disableBody, passwordBody } from "../schemas.ts";
import { createBody, profileBody, rolesBody, updateBody } from "../profile-schemas.ts";
import { parseRequest } from "../parse-request.ts";
import { notFound } from "../errors.ts";
import { invalid, notSupported } from "./errors.ts";
import { localId, roleOrGroupById } from "./queries.ts";
import { presentGroup, presentIdentity, presentRole, presentUser } from "./present.ts";
import { addLoginIdBody, adminAddLoginId, adminRemoveIdentity } from "../identities.ts";
import type { Actor } from "../operations.ts";
import { scheduleDeletion, unscheduleDeletion } from "../../settings-surface/account-deletion.ts";

type Input = { input: Record<string, any> };
type Kind = "roles" | "groups";

/** Standard attributes that come from login IDs or the record itself: Authgear ignores them in updateUser. */
const DERIVED = new Set(["email", "email_verified", "phone_number", "phone_number_verified", "preferred_username", "updated_at", "sub"]);

/** Authgear's updateUser sets the WHOLE attribute set given: what it omits is removed. */
function wholeSet(given: Record<string, unknown>, current: Record<string, unknown>, skip: Set<string>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const name of Object.keys(current)) if (!skip.has(name)) patch[name] = null;
  for (const [name, value] of Object.entries(given)) if (!skip.has(name)) patch[name] = value;
  return patch;
}

async function userPayload(ctx: Context, userId: string) {
  return { user: presentUser(ctx, await op.mustGetUser(ctx, userId)) };
}

const keyList = (keys: string[] | null | undefined, what: string): string[] => {
  if (!keys || keys.length === 0) throw invalid(`${what}: give at least one key`);
  return parseRequest(rolesBody, { roles: keys }, "input").roles;
};

async function usersOf(ctx: Context, ids: string[] | null | undefined): Promise<string[]> {
  if (!ids || ids.length === 0) throw invalid("userIDs: give at least one user ID");
  if (ids.length > 100) throw invalid("userIDs: at most 100 users at a time");
  const userIds = ids.map((id) => localId(id, "User"));
  // Every user is checked before anything changes.
  for (const id of userIds) await op.mustGetUser(ctx, id);
  return userIds;
}

async function roleOrGroupKey(ctx: Context, kind: Kind, id: string): Promise<string> {
  const item = await roleOrGroupById(ctx, kind, id);
  if (!item) throw notFound(kind === "roles" ? "role" : "group");
  return item.key;
}

/** Authgear's update: null leaves a field as it is, "" removes a name or description. */
function rolePatch(input: Record<string, any>) {
  const patch: Record<string, unknown> = {};
  if (input.key != null) patch.key = input.key;
  for (const f of ["name", "description"]) if (input[f] != null) patch[f] = input[f] === "" ? null : input[f];
  return parseRequest(updateBody, patch, "input");
}

const present = (ctx: Context, kind: Kind, item: Parameters<typeof presentRole>[1]) => (kind === "roles" ? presentRole(ctx, item) : presentGroup(ctx, item));

function roleOrGroupMutations(ctx: Context, actor: Actor, kind: Kind, name: "Role" | "Group") {
  const field = name === "Role" ? "role" : "group";
  return {
    [`create${name}`]: async ({ input }: Input) =>
      ({ [field]: present(ctx, kind, await createRoleOrGroup(ctx, actor, kind, parseRequest(createBody, { key: input.key, name: input.name ?? undefined, description: input.description ?? undefined }, "input"))) }),
    [`update${name}`]: async ({ input }: Input) =>
      ({ [field]: present(ctx, kind, await updateRoleOrGroup(ctx, actor, kind, await roleOrGroupKey(ctx, kind, input.id), rolePatch(input))) }),
    [`delete${name}`]: async ({ input }: Input) => {
      await deleteRoleOrGroup(ctx, actor, kind, await roleOrGroupKey(ctx, kind, input.id));
      return { ok: true };
    },
  };
}

/** The Mutation root for one caller: field name → resolver. */
export function mutationRoot(ctx: Context, actor: Actor) {
  const userId = (input: Record<string, any>): string => localId(input.userID, "User");
  const auditAs = (action: string, user: string, details: Record<string, unknown>) => op.audit(ctx, actor, action, "user", user, details);
  return {
    async createUser({ input }: Input) {
      const loginId = input.definition?.loginID;
      if (!loginId) throw invalid("definition.loginID is required: Gatehouse creates users from a login ID");
      if (input.password == null) throw notSupported("createUser without a password");
      const body = parseRequest(createUserBody, { login_ids: { [loginId.key]: loginId.value }, password: input.password }, "input");
      const created = await op.adminCreateUser(ctx, actor, body);
      return userPayload(ctx, created.id);
    },
    async updateUser({ input }: Input) {
      const id = userId(input);
      const user = await op.mustGetUser(ctx, id);
      const current = readableProfile(ctx.config.user_profile, user, "admin");
      const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
      for (const f of ["standardAttributes", "customAttributes"]) if (input[f] != null && !isObject(input[f])) throw invalid(`${f} must be an object`);
      const body = parseRequest(profileBody, {
        ...(input.standardAttributes != null ? { standard_attributes: wholeSet(input.standardAttributes, current.standard_attributes, DERIVED) } : {}),
        ...(input.customAttributes != null ? { custom_attributes: wholeSet(input.customAttributes, current.custom_attributes, new Set()) } : {}),
      }, "input");
      await adminUpdateAttributes(ctx, actor, id, body);
      return userPayload(ctx, id);
    },
    async deleteUser({ input }: Input) {
      await op.adminDeleteUser(ctx, actor, userId(input));
      return { deletedUserID: input.userID };
    },
    async setDisabledStatus({ input }: Input) {
      const { reason } = parseRequest(disableBody, { reason: input.reason ?? "" }, "input");
      await op.adminSetDisabled(ctx, actor, userId(input), input.isDisabled === true, reason);
      return userPayload(ctx, userId(input));
    },
    async resetPassword({ input }: Input) {
      if (input.sendPassword || input.setPasswordExpired) throw notSupported("resetPassword(sendPassword, setPasswordExpired)");
      await op.adminSetPassword(ctx, actor, userId(input), parseRequest(passwordBody, { password: input.password }, "input").password);
      return userPayload(ctx, userId(input));
    },
    async setVerifiedStatus({ input }: Input) {
      const user = await op.mustGetUser(ctx, userId(input));
      // Gatehouse keeps one verified flag: the primary email's.
      if (input.claimName !== "email") throw notSupported(`setVerifiedStatus(claimName: ${JSON.stringify(String(input.claimName).slice(0, 40))})`);
      if (user.email === null || String(input.claimValue).trim().toLowerCase() !== user.email) throw invalid("claimValue is not the user's email");
      await op.adminUpdateUser(ctx, actor, user.id, { is_verified: input.isVerified === true });
      return userPayload(ctx, user.id);
    },
    // Scheduled deletion: the same functions as the REST admin API and the app's delete_account action.
    async scheduleAccountDeletion({ input }: Input) {
      const id = userId(input);
      const r = await scheduleDeletion(ctx, id, { byAdmin: true, actor: actor.id });
      if (!r.ok && r.reason === "not_found") throw notFound("user");
      if (!r.ok && r.reason === "hook_denied") throw invalid(r.failed ? "a user.pre_schedule_deletion hook failed" : `refused by a user.pre_schedule_deletion hook: ${[r.title, r.message].filter(Boolean).join(": ") || "disallowed"}`);
      if (!r.ok) throw invalid("the account's deletion is already scheduled");
      return userPayload(ctx, id);
    },
    async unscheduleAccountDeletion({ input }: Input) {
      const id = userId(input);
      await op.mustGetUser(ctx, id);
      if (!(await unscheduleDeletion(ctx, id, { actor: actor.id }))) throw invalid("the account's deletion is not scheduled");
      return userPayload(ctx, id);
    },
    async revokeSession({ input }: Input) {
      const sid = localId(input.sessionID, "Session");
      const ref = decodeSid(sid);
      const owner = ref && (ref.kind === "idp_session" ? await ctx.storage.sessions.get(ref.id) : await ctx.storage.offlineGrants.get(ref.id));
      if (!owner) throw notFound("session");
      await op.adminRevokeSession(ctx, actor, owner.userId, sid);
      return userPayload(ctx, owner.userId);
    },
    async revokeAllSessions({ input }: Input) {
      await op.adminRevokeAllSessions(ctx, actor, userId(input));
      return userPayload(ctx, userId(input));
    },
    async createIdentity({ input }: Input) {
      const id = userId(input);
      const loginId = input.definition?.loginID;
      if (!loginId) throw invalid("definition.loginID is required: Gatehouse adds login IDs this way");
      const added = await adminAddLoginId(ctx, auditAs, id, parseRequest(addLoginIdBody, { key: loginId.key, login_id: loginId.value }, "input"));
      // Authgear uses the password only when the user has none yet.
      if (input.password != null && !(await ctx.storage.passwords.get(id))) await op.adminSetPassword(ctx, actor, id, parseRequest(passwordBody, { password: input.password }, "input").password);
      const identity = (await ctx.storage.identities.listByUser(id)).find((i) => i.id === added.id);
      if (!identity) throw notFound("identity");
      return { identity: presentIdentity(identity), ...(await userPayload(ctx, id)) };
    },
    async deleteIdentity({ input }: Input) {
      const [owner, identityId] = localId(input.identityID, "Identity").split(".");
      if (!owner || !identityId) throw invalid("invalid identity ID");
      await adminRemoveIdentity(ctx, auditAs, owner, identityId);
      return userPayload(ctx, owner);
    },
    ...roleOrGroupMutations(ctx, actor, "roles", "Role"),
    ...roleOrGroupMutations(ctx, actor, "groups", "Group"),
    async addRoleToUsers({ input }: Input) { return roleToUsers(input, false); },
    async removeRoleFromUsers({ input }: Input) { return roleToUsers(input, true); },
    async addGroupToUsers({ input }: Input) { return groupToUsers(input, false); },
    async removeGroupFromUsers({ input }: Input) { return groupToUsers(input, true); },
    async addUserToRoles({ input }: Input) { return userLinks(input, "user_role", input.roleKeys, false); },
    async removeUserFromRoles({ input }: Input) { return userLinks(input, "user_role", input.roleKeys, true); },
    async addUserToGroups({ input }: Input) { return userLinks(input, "user_group", input.groupKeys, false); },
    async removeUserFromGroups({ input }: Input) { return userLinks(input, "user_group", input.groupKeys, true); },
    async addGroupToRoles({ input }: Input) { return groupRoles(input, false); },
    async removeGroupFromRoles({ input }: Input) { return groupRoles(input, true); },
    async addRoleToGroups({ input }: Input) { return roleToGroups(input, false); },
    async removeRoleFromGroups({ input }: Input) { return roleToGroups(input, true); },
  };

  async function roleToUsers(input: Record<string, any>, remove: boolean) {
    const [key] = keyList([input.roleKey], "roleKey");
    const role = await getRoleOrGroup(ctx, "roles", key);
    for (const id of await usersOf(ctx, input.userIDs)) await changeLinks(ctx, actor, { kind: "user_role", userId: id }, [key], remove);
    return { role: presentRole(ctx, role) };
  }
  async function groupToUsers(input: Record<string, any>, remove: boolean) {
    const [key] = keyList([input.groupKey], "groupKey");
    const group = await getRoleOrGroup(ctx, "groups", key);
    for (const id of await usersOf(ctx, input.userIDs)) await changeLinks(ctx, actor, { kind: "user_group", userId: id }, [key], remove);
    return { group: presentGroup(ctx, group) };
  }
  async function userLinks(input: Record<string, any>, kind: "user_role" | "user_group", keys: string[] | null, remove: boolean) {
    const id = userId(input);
    await changeLinks(ctx, actor, { kind, userId: id }, keyList(keys, kind === "user_role" ? "roleKeys" : "groupKeys"), remove);
    return userPayload(ctx, id);
  }
  async function groupRoles(input: Record<string, any>, remove: boolean) {
    const [key] = keyList([input.groupKey], "groupKey");
    await changeLinks(ctx, actor, { kind: "group_role", groupKey: key }, keyList(input.roleKeys, "roleKeys"), remove);
    return { group: presentGroup(ctx, await getRoleOrGroup(ctx, "groups", key)) };
  }
  async function roleToGroups(input: Record<string, any>, remove: boolean) {
    const [key] = keyList([input.roleKey], "roleKey");
    const role = await getRoleOrGroup(ctx, "roles", key);
    const groups = keyList(input.groupKeys, "groupKeys");
    // Every group is checked before anything changes.
    for (const g of groups) await getRoleOrGroup(ctx, "groups", g);
    for (const g of groups) await changeLinks(ctx, actor, { kind: "group_role", groupKey: g }, [key], remove);
    return { role: presentRole(ctx, role) };
  }
}

