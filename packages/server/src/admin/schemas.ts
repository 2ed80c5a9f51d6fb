// Request and response schemas of the admin API: they validate requests and shape responses,
// and the OpenAPI document is generated from them.
import { z } from "zod";
import { tokenLifetimeFields } from "../config/token-lifetimes.ts";
import { MAX_PASSWORD_LENGTH } from "../account/policy/password-policy.ts";
import { textProblem, type TextKind } from "../input/text.ts";
import { AUDIT_ACTIONS } from "../audit/events.ts";

/** A string the shared text validator accepts (input/text.ts): no NUL, controls or lone surrogates. */
export const clean = (kind: TextKind, schema: z.ZodString) => schema.superRefine((value, ctx) => {
  const problem = textProblem(value, kind);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable().describe("The primary email (from an email login ID); null for a phone- or username-only user."),
  is_verified: z.boolean(),
  is_anonymous: z.boolean(),
  is_disabled: z.boolean(),
  disable_reason: z.string().nullable(),
  roles: z.array(z.string()),
  created_at: z.string().describe("ISO 8601"),
  updated_at: z.string().describe("ISO 8601"),
}).meta({ id: "User" });

export const userListSchema = z.object({ items: z.array(userSchema), next_cursor: z.string().nullable() }).meta({ id: "UserList" });

export const createUserBody = z.object({
  email: clean("identifier", z.string().max(254)).optional(),
  login_ids: z.record(z.string().max(40), clean("identifier", z.string().max(320))).optional()
    .describe("Login IDs by key of identity.login_id.keys, e.g. {\"phone\": \"+85261234567\", \"username\": \"amy\"}; an email here or in `email`, or none"),
  password: clean("text", z.string().max(MAX_PASSWORD_LENGTH)).describe("Must satisfy authentication.password_policy (the same policy as sign-up)."),
  verified: z.boolean().default(false),
}).strict().refine((b) => b.email !== undefined || Object.keys(b.login_ids ?? {}).length > 0, { message: "required (or at least one login ID in login_ids)", path: ["email"] });

const role = z.string().regex(/^[a-z0-9][a-z0-9:_.-]{0,63}$/, "roles are lowercase words: a-z 0-9 : _ . -");
export const updateUserBody = z.object({
  email: clean("identifier", z.string().max(254)).optional(),
  is_verified: z.boolean().optional(),
  roles: z.array(role).max(50).optional(),
}).strict();

export const disableBody = z.object({ reason: clean("text", z.string().max(500)).default("") }).strict();
export const passwordBody = z.object({ password: clean("text", z.string().max(MAX_PASSWORD_LENGTH)).describe("Must satisfy authentication.password_policy.") }).strict();

export const sessionSchema = z.object({
  id: z.string().describe("The `sid` tokens carry: `i.<id>` for an IdP session, `o.<id>` for an offline grant"),
  type: z.enum(["idp_session", "offline_grant"]),
  client_id: z.string().nullable(),
  created_at: z.string(),
  last_accessed_at: z.string(),
  expires_at: z.string(),
  ip: z.string(),
  user_agent: z.string(),
  amr: z.array(z.string()),
}).meta({ id: "Session" });
export const sessionListSchema = z.object({ items: z.array(sessionSchema) }).meta({ id: "SessionList" });

/** The config file's own definitions (config/token-lifetimes.ts): the API allows exactly what the config does. */
export const clientSettingsFields = tokenLifetimeFields;
export const clientSchema = z.object({
  client_id: z.string(),
  name: z.string(),
  x_application_type: z.string(),
  redirect_uris: z.array(z.string()),
  ...clientSettingsFields,
}).meta({ id: "Client" });
export const clientListSchema = z.object({ items: z.array(clientSchema) }).meta({ id: "ClientList" });
export const updateClientBody = z.object(clientSettingsFields).partial().strict();

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string(),
  actor_name: z.string().describe("Who, in words: the admin key's name, the user's email, `system` or `cli`"),
  target_name: z.string().describe("What about, in words: the user's email (as recorded, if the user is gone), the key's name"),
  details: z.record(z.string(), z.unknown()),
}).meta({ id: "AuditEntry" });
export const auditListSchema = z.object({ items: z.array(auditEntrySchema), next_cursor: z.string().nullable() }).meta({ id: "AuditList" });

// Cursors are ours (base64url, or a row number): any other shape is refused before a query runs.
export const listQuery = z.object({
  query: clean("identifier", z.string().max(254)).optional(),
  role: z.string().max(64).regex(/^[A-Za-z0-9_:.-]+$/, "a role key").optional(),
  group: z.string().max(64).regex(/^[A-Za-z0-9_:.-]+$/, "a group key").optional(),
  cursor: z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, "not a cursor this API returned").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditQuery = z.object({
  cursor: z.string().max(40).regex(/^\d*$/, "not a cursor this API returned").optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  user_id: clean("identifier", z.string().max(100)).optional().describe("Entries about this user (their events and what operators did to them)"),
  target_id: clean("identifier", z.string().max(100)).optional().describe("Entries about this target (a user id, client id, key id…); user_id wins when both are given"),
  action: z.string().max(100).regex(/^[a-z_.]+$/, "an event type is lowercase words and dots, e.g. user.authenticated").optional()
    .describe(`Only this event type: ${AUDIT_ACTIONS.join(", ")}`),
});

export const adminKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable().describe("Recorded at most once a minute"),
  revoked_at: z.string().nullable(),
}).meta({ id: "AdminKey" });
export const adminKeyListSchema = z.object({ items: z.array(adminKeySchema) }).meta({ id: "AdminKeyList" });

export const userSecuritySchema = z.object({
  locked_until: z.string().nullable().describe("When the account lockout ends; null when not locked"),
  failed_attempts: z.number().describe("Failed sign-in attempts the lockout still counts"),
  totp_enabled: z.boolean(),
  recovery_codes_remaining: z.number(),
}).meta({ id: "UserSecurity" });

export const emptySchema = z.object({}).meta({ id: "Empty" });
export const problemSchema = z.object({
  type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string(),
  errors: z.array(z.object({
    field: z.string(), code: z.string(), minimum: z.number().optional(), maximum: z.number().optional(),
    message: z.string().describe("In words, for people: \"At least 5 minutes\""),
  })).optional().describe("Per field, when the request did not validate"),
}).meta({ id: "Problem" });
