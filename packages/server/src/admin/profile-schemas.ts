// Request and response schemas of the admin API's roles, groups and user-profile routes.
import { z } from "zod";
import { keyProblem } from "../domain/roles.ts";
import { textProblem } from "../input/text.ts";

const line = (max: number) => z.string().max(max).superRefine((v, ctx) => {
  const problem = textProblem(v, "line");
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
/** A new key: Authgear's rule (domain/roles.ts). */
export const newKey = z.string().superRefine((v, ctx) => {
  const problem = keyProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
/** A key that names an existing role or group (older keys may predate the rule, so only its shape is checked). */
export const anyKey = z.string().min(1).max(64).regex(/^[A-Za-z0-9_:.-]+$/, "not a role or group key");

export const roleSchema = z.object({
  id: z.string(), key: z.string(), name: z.string().nullable(), description: z.string().nullable(), created_at: z.string(), updated_at: z.string(),
}).meta({ id: "Role" });
export const roleListSchema = z.object({ items: z.array(roleSchema), next_cursor: z.string().nullable() }).meta({ id: "RoleList" });
export const groupSchema = roleSchema.extend({ roles: z.array(z.string()).describe("Keys of the roles the group carries") }).meta({ id: "Group" });
export const groupListSchema = z.object({ items: z.array(roleSchema), next_cursor: z.string().nullable() }).meta({ id: "GroupList" });

export const createBody = z.object({
  key: newKey, name: line(200).nullable().optional(), description: line(1000).nullable().optional(),
}).strict();
export const updateBody = z.object({
  key: newKey.optional(), name: line(200).nullable().optional(), description: line(1000).nullable().optional(),
}).strict();
export const listQuery = z.object({
  query: z.string().max(64).regex(/^[A-Za-z0-9_:.-]*$/, "a key prefix").optional(),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, "not a cursor this API returned").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const rolesBody = z.object({ roles: z.array(anyKey).min(1).max(100) }).strict();
export const groupsBody = z.object({ groups: z.array(anyKey).min(1).max(100) }).strict();

export const userRolesSchema = z.object({
  roles: z.array(z.string()).describe("Roles held directly"),
  groups: z.array(z.string()),
  effective_roles: z.array(z.string()).describe("Direct and through groups: what tokens carry in https://authgear.com/claims/user/roles"),
}).meta({ id: "UserRoles" });

const attributes = z.record(z.string().max(64), z.unknown());
export const profileSchema = z.object({
  standard_attributes: attributes.describe("OpenID standard claims; email, phone_number and preferred_username come from login IDs"),
  custom_attributes: attributes.describe("Keyed by the pointer name in user_profile.custom_attributes"),
}).meta({ id: "UserProfile" });
export const profileBody = z.object({
  standard_attributes: attributes.optional().describe("Attribute → new value, or null to remove it"),
  custom_attributes: attributes.optional().describe("Pointer name → new value, or null to remove it"),
}).strict();
