// One Authgear user record — a record of its import JSON (pkg/lib/userimport/model.go) or a line of its
// export NDJSON (pkg/lib/userexport/model.go) — as a Gatehouse ImportedUser, written through the same
// importer port (storage.importer.writeUsers) as the database import: no second copy of the writing.
import { randomUUID } from "node:crypto";
import type { Context } from "../../context.ts";
import type { Identity, LoginIdType } from "../../domain/identity.ts";
import type { ImportedUser } from "../../storage/import-ports.ts";
import { loginIdIdentity } from "../../domain/identity.ts";
import { loginIdKeys, normaliseLoginId } from "../../identity/login-id/index.ts";
import { STANDARD_CHECKS } from "../../attributes/standard.ts";

type Json = Record<string, unknown>;

/** Authgear's three identifiers and the login-ID key type each one is. */
export const IDENTIFIER_TYPES: Record<string, LoginIdType> = { email: "email", phone_number: "phone", preferred_username: "username" };

export interface UserFields {
  id?: string;
  /** By identifier (email, phone_number, preferred_username): the login IDs to create. */
  loginIds: Partial<Record<keyof typeof IDENTIFIER_TYPES, string>>;
  emailVerified: boolean;
  standardAttributes: Json;
  /** By pointer name (as Authgear's APIs give them), mapped to the configured attribute ids here. */
  customAttributes: Json;
  roles: string[];
  groups: string[];
  disabled: boolean;
  passwordHash: string | null;
  totpSecret: string | null;
  /** Roles that come through `groups` (looked up beforehand: users.roles holds the effective roles). */
  groupRoles?: string[];
  /** A scheduled deletion (the export's `delete_at`), epoch seconds: the user is disabled until then. */
  deleteAt?: number | null;
  /** Extra identities (the export's OAuth accounts), already mapped to a provider alias. */
  oauth: { alias: string; subject: string; claims: Json }[];
}

export type Built = { ok: true; user: ImportedUser; warnings: string[] } | { ok: false; reason: string };

/** The configured login-ID key of a type (the first one): where an identifier's value is kept. */
export function keyFor(ctx: Context, type: LoginIdType) {
  return loginIdKeys(ctx.config).find((k) => k.type === type) ?? null;
}

/** Normalised under its key, as sign-in will look it up; null (with the reason) when refused. */
export function normalised(ctx: Context, identifier: string, value: string): { key: string; loginId: string; original: string } | { problem: string } {
  const key = keyFor(ctx, IDENTIFIER_TYPES[identifier]);
  if (!key) return { problem: `identity.login_id.keys has no key of type ${IDENTIFIER_TYPES[identifier]} for ${identifier}` };
  const n = normaliseLoginId(ctx.config, key, value);
  if (!n.ok) return { problem: `${identifier} is not valid (${n.reason})` };
  return { key: key.key, loginId: n.loginId, original: n.original };
}

/** Standard attributes checked as the profile API checks them; those that fail are left out with a warning. */
export function standardAttributes(given: Json, warnings: string[]): Json {
  const out: Json = {};
  for (const [name, value] of Object.entries(given)) {
    const check = STANDARD_CHECKS[name];
    if (!check || value === null || value === undefined) continue;
    const problem = check(value);
    if (problem) warnings.push(`${name} not imported: ${problem}`);
    else out[name] = value;
  }
  return out;
}

/** Custom attributes by pointer name → by the configured id they are stored under. */
export function customAttributes(ctx: Context, given: Json, warnings: string[]): Json {
  const out: Json = {};
  const attrs = ctx.config.user_profile.custom_attributes.attributes;
  for (const [name, value] of Object.entries(given)) {
    const a = attrs.find((x) => x.pointer === `/${name}`);
    if (!a) warnings.push(`custom attribute ${name} is not in user_profile.custom_attributes: not imported`);
    else if (value !== null) out[a.id] = value;
  }
  return out;
}

export function buildUser(ctx: Context, f: UserFields): Built {
  const warnings: string[] = [];
  const id = f.id ?? randomUUID();
  const at = ctx.now();
  const identities: Identity[] = [];
  let email: string | null = null;
  for (const [identifier, value] of Object.entries(f.loginIds)) {
    if (typeof value !== "string" || value === "") continue;
    const n = normalised(ctx, identifier, value);
    if ("problem" in n) return { ok: false, reason: n.problem };
    if (identifier === "email") email = n.loginId;
    identities.push(loginIdIdentity({ id: randomUUID(), userId: id, key: n.key, type: IDENTIFIER_TYPES[identifier], loginId: n.loginId, originalLoginId: n.original, at }));
  }
  for (const o of f.oauth) {
    identities.push({
      id: randomUUID(), userId: id, type: "oauth", loginIdKey: null, loginIdType: null, loginId: null, originalLoginId: null,
      providerAlias: o.alias, providerSubject: o.subject, claims: o.claims, createdAt: at, updatedAt: at,
    });
  }
  if (identities.length === 0) return { ok: false, reason: "the record has no email, phone_number or preferred_username (nobody could sign in as it)" };
  const user: ImportedUser = {
    user: {
      id, email, isVerified: email !== null && f.emailVerified, isAnonymous: false, disabled: f.disabled || Boolean(f.deleteAt), disabledReason: null,
      roles: [...new Set([...f.roles, ...(f.groupRoles ?? [])])].sort(), standardAttributes: standardAttributes(f.standardAttributes, warnings),
      customAttributes: customAttributes(ctx, f.customAttributes, warnings), createdAt: at, updatedAt: at,
    },
    passwordHash: f.passwordHash, identities, totp: f.totpSecret ? { secret: f.totpSecret, createdAt: at } : null, recoveryCodes: [],
    roleKeys: [...new Set(f.roles)], groupKeys: [...new Set(f.groups)], passkeys: [], deviceKeys: [],
    // Who scheduled it is not in the export: shown as an admin's, like every schedule made by an operator.
    deletion: f.deleteAt ? { deleteAt: f.deleteAt, scheduledAt: at, byAdmin: true, reason: "" } : null,
  };
  return { ok: true, user, warnings };
}

/** Keeps the roles and groups that exist (writeUsers links by key and drops the rest), warning of the others; and the groups' roles. */
export async function knownRolesAndGroups(ctx: Context, roles: string[], groups: string[], warnings: string[]): Promise<{ roles: string[]; groups: string[]; groupRoles: string[] }> {
  const out = { roles: [] as string[], groups: [] as string[], groupRoles: [] as string[] };
  for (const r of new Set(roles)) {
    if (await ctx.storage.roles.get(r)) out.roles.push(r);
    else warnings.push(`role ${r} does not exist: not assigned (create it first)`);
  }
  for (const g of new Set(groups)) {
    const carried = await ctx.storage.assignments.ofGroup(g);
    if (carried) {
      out.groups.push(g);
      out.groupRoles.push(...carried);
    } else warnings.push(`group ${g} does not exist: not assigned (create it first)`);
  }
  return out;
}
