// Admin API for a user's identities: list them, add a login ID under a configured key, remove one
// (never the last). Rules live in identity/service.ts; this file speaks the admin API's shapes.
import { z } from "zod";
import type { Context } from "../context.ts";
import type { Identity } from "../domain/identity.ts";
import { isUserId } from "../input/ids.ts";
import { textProblem } from "../input/text.ts";
import { addLoginId, removeIdentity } from "../identity/service.ts";
import { normaliseLoginId } from "../identity/login-id/index.ts";
import type { User } from "../domain/user.ts";
import { announceUserChanged } from "../session/revocation.ts";
import { AdminError, notFound } from "./errors.ts";

const iso = (t: number): string => new Date(t * 1000).toISOString();

export const identitySchema = z.object({
  id: z.string(),
  type: z.enum(["login_id", "oauth", "passkey"]),
  login_id_key: z.string().nullable(),
  login_id_type: z.enum(["email", "phone", "username"]).nullable(),
  login_id: z.string().nullable().describe("Normalised (lowercased email, E.164 phone, folded username)"),
  original_login_id: z.string().nullable().describe("As typed"),
  provider_alias: z.string().nullable(),
  provider_subject: z.string().nullable(),
  claims: z.record(z.string(), z.unknown()),
  created_at: z.string().describe("ISO 8601"),
  updated_at: z.string().describe("ISO 8601"),
}).meta({ id: "Identity" });

export const identityListSchema = z.object({ items: z.array(identitySchema) }).meta({ id: "IdentityList" });

export const addLoginIdBody = z.object({
  key: z.string().max(40).describe("A key of identity.login_id.keys, e.g. email, phone, username"),
  login_id: z.string().max(320).superRefine((v, c) => {
    const problem = textProblem(v, "identifier");
    if (problem) c.addIssue({ code: "custom", message: problem });
  }),
}).strict();

// Authgear's getUserByLoginID / getUserByOAuth: one user by an identity, either pair.
export const lookupQuery = z.object({
  login_id_key: z.string().max(40).optional(),
  login_id: z.string().max(320).optional().describe("As typed: normalised under the key's type"),
  provider_alias: z.string().max(100).optional(),
  provider_subject: z.string().max(500).optional(),
}).superRefine((q, c) => {
  const loginId = q.login_id_key !== undefined && q.login_id !== undefined;
  const oauth = q.provider_alias !== undefined && q.provider_subject !== undefined;
  if (loginId === oauth) c.addIssue({ code: "custom", message: "give login_id_key and login_id, or provider_alias and provider_subject" });
});

export function presentIdentity(i: Identity) {
  return {
    id: i.id, type: i.type, login_id_key: i.loginIdKey, login_id_type: i.loginIdType, login_id: i.loginId,
    original_login_id: i.originalLoginId, provider_alias: i.providerAlias, provider_subject: i.providerSubject,
    claims: i.claims, created_at: iso(i.createdAt), updated_at: iso(i.updatedAt),
  };
}

async function mustGetUser(ctx: Context, id: string) {
  const user = isUserId(id) ? await ctx.storage.users.get(id) : null;
  if (!user) throw notFound("user");
  return user;
}

/** The user holding the identity; 404 if none (a login ID that does not normalise holds none). */
export async function adminLookupUser(ctx: Context, q: z.infer<typeof lookupQuery>): Promise<User> {
  let identity: Identity | null = null;
  if (q.provider_alias !== undefined && q.provider_subject !== undefined) {
    identity = await ctx.storage.identities.findByProvider(q.provider_alias, q.provider_subject);
  } else {
    const key = ctx.config.identity.login_id.keys.find((k) => k.key === q.login_id_key);
    const n = key ? normaliseLoginId(ctx.config, key, q.login_id ?? "") : null;
    if (key && n?.ok) identity = await ctx.storage.identities.findByLoginId(key.key, n.loginId);
  }
  const user = identity ? await ctx.storage.users.get(identity.userId) : null;
  if (!user) throw notFound("user");
  return user;
}

export async function adminListIdentities(ctx: Context, userId: string) {
  await mustGetUser(ctx, userId);
  return { items: (await ctx.storage.identities.listByUser(userId)).map(presentIdentity) };
}

type Audit = (action: string, userId: string, details: Record<string, unknown>) => Promise<void>;

export async function adminAddLoginId(ctx: Context, audit: Audit, userId: string, body: { key: string; login_id: string }) {
  const user = await mustGetUser(ctx, userId);
  const result = await addLoginId(ctx, user, body.key, body.login_id);
  if (!result.ok) {
    if (result.reason === "taken") throw new AdminError("GH_ADMIN_CONFLICT", `another user has this ${body.key}`);
    if (result.reason === "unknown_key") throw new AdminError("GH_ADMIN_INVALID_REQUEST", `key must be one of identity.login_id.keys: ${ctx.config.identity.login_id.keys.map((k) => k.key).join(", ")}`);
    throw new AdminError("GH_ADMIN_INVALID_REQUEST", `login_id is not a valid ${body.key} (${result.reason})`);
  }
  // Claims derived from identities (email, phone_number) changed: tokens re-read the user.
  await announceUserChanged(ctx, userId);
  await audit("user.identity.add", userId, { identity_id: result.identity.id, key: body.key });
  return presentIdentity(result.identity);
}

export async function adminRemoveIdentity(ctx: Context, audit: Audit, userId: string, identityId: string): Promise<void> {
  const user = await mustGetUser(ctx, userId);
  const result = await removeIdentity(ctx, user, identityId);
  if (!result.ok) {
    if (result.reason === "not_found") throw notFound("identity");
    throw new AdminError("GH_ADMIN_CONFLICT", "this is the user's last identity: they could never sign in again (delete the user instead)");
  }
  await announceUserChanged(ctx, userId);
  await audit("user.identity.remove", userId, { identity_id: identityId, type: result.identity.type, key: result.identity.loginIdKey });
}
