// The one module that reads, checks and changes a user's profile against `user_profile`: who may
// see or edit which attribute (Authgear's access control per party), each value checked by its type
// with an error naming the attribute ("birthdate: must be YYYY-MM-DD"), and the claims a bearer gets.
import type { AccessControl, CustomAttributeConfig, Level, UserProfileConfig } from "../config/user-profile.ts";
import type { User } from "../domain/user.ts";
import { IDENTITY_ATTRIBUTES, SCOPE_CLAIMS, STANDARD_CHECKS } from "./standard.ts";
import * as v from "./values.ts";

/** Authgear's parties; "admin" is the admin API (and the portal through it), which sees and edits everything. */
export type Party = keyof AccessControl | "admin";

const RANK: Record<Level, number> = { hidden: 0, readonly: 1, readwrite: 2 };

// userinfo and the resolver run this per request: the config's list becomes a map once per config.
const accessMaps = new WeakMap<UserProfileConfig, Map<string, AccessControl>>();
function standardAccess(profile: UserProfileConfig, name: string): AccessControl | undefined {
  let map = accessMaps.get(profile);
  if (!map) accessMaps.set(profile, (map = new Map(profile.standard_attributes.access_control.map((a) => [a.pointer.slice(1), a.access_control]))));
  return map.get(name);
}

const allows = (access: AccessControl | undefined, party: Party, need: Level): boolean =>
  party === "admin" || (access !== undefined && RANK[access[party]] >= RANK[need]);

export function customCheck(a: CustomAttributeConfig): v.Check {
  switch (a.type) {
    case "string": return v.line;
    case "number": return v.number({ integer: false, minimum: a.minimum, maximum: a.maximum });
    case "integer": return v.number({ integer: true, minimum: a.minimum, maximum: a.maximum });
    case "enum": return v.oneOf(a.enum ?? []);
    case "phone_number": return v.phone;
    case "email": return v.email;
    case "url": return v.url;
    case "country_code": return v.countryCode;
  }
}

/** A change to a profile: attribute name → new value, or null to remove it. Custom attributes by pointer name. */
export interface ProfilePatch {
  standard_attributes?: Record<string, unknown>;
  custom_attributes?: Record<string, unknown>;
}

export type PatchResult =
  | { ok: true; standardAttributes: Record<string, unknown>; customAttributes: Record<string, unknown> }
  | { ok: false; errors: AttributeError[] };

/** One refused attribute: which object it was in, its name (a custom one's pointer name) and why. */
export interface AttributeError {
  group: "standard_attributes" | "custom_attributes";
  name: string;
  message: string;
}

/** "birthdate: must be YYYY-MM-DD" */
export const errorInWords = (e: AttributeError): string => `${e.name}: ${e.message}`;

/** Applies `patch` for `party`: every problem is reported, one line per attribute, and nothing is applied unless all pass. */
export function applyProfilePatch(profile: UserProfileConfig, user: User, patch: ProfilePatch, party: Party): PatchResult {
  const errors: AttributeError[] = [];
  const refuse = (group: AttributeError["group"], name: string, message: string): void => void errors.push({ group, name, message });
  const standard = { ...user.standardAttributes };
  const custom = { ...user.customAttributes };
  for (const [name, value] of Object.entries(patch.standard_attributes ?? {})) {
    // Own keys only: "constructor" or "__proto__" must name no attribute.
    const check = Object.hasOwn(STANDARD_CHECKS, name) ? STANDARD_CHECKS[name] : undefined;
    if (IDENTITY_ATTRIBUTES.has(name)) refuse("standard_attributes", name, "comes from the user's login IDs; change the login ID instead");
    else if (!check) refuse("standard_attributes", name, "not a standard attribute");
    else if (!allows(standardAccess(profile, name), party, "readwrite")) refuse("standard_attributes", name, "not editable here");
    else if (value === null) delete standard[name];
    else {
      const problem = check(value);
      if (problem) refuse("standard_attributes", name, problem);
      else standard[name] = value;
    }
  }
  for (const [name, value] of Object.entries(patch.custom_attributes ?? {})) {
    const a = profile.custom_attributes.attributes.find((c) => c.pointer === `/${name}`);
    if (!a) refuse("custom_attributes", name, "not a custom attribute in user_profile.custom_attributes");
    else if (!allows(a.access_control, party, "readwrite")) refuse("custom_attributes", name, "not editable here");
    else if (value === null) delete custom[a.id];
    else {
      const problem = customCheck(a)(value);
      if (problem) refuse("custom_attributes", name, problem);
      else custom[a.id] = value;
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, standardAttributes: standard, customAttributes: custom };
}

/** The attributes `party` may read, custom ones keyed by pointer name; identity-derived ones included. */
export function readableProfile(profile: UserProfileConfig, user: User, party: Party): { standard_attributes: Record<string, unknown>; custom_attributes: Record<string, unknown> } {
  const standard: Record<string, unknown> = {};
  // A user may have no email at all (phone or username only): then no email attribute.
  const identity: Record<string, unknown> = user.email === null ? {} : { email: user.email };
  for (const [name, value] of Object.entries({ ...identity, ...user.standardAttributes })) {
    if (allows(standardAccess(profile, name), party, "readonly")) standard[name] = value;
  }
  const custom: Record<string, unknown> = {};
  for (const a of profile.custom_attributes.attributes) {
    if (a.id in user.customAttributes && allows(a.access_control, party, "readonly")) custom[a.pointer.slice(1)] = user.customAttributes[a.id];
  }
  return { standard_attributes: standard, custom_attributes: custom };
}

/** Which attributes `party` may edit: standard names and custom pointer names, with each custom attribute's config. */
export function editableAttributes(profile: UserProfileConfig, party: Party): { standard: string[]; custom: CustomAttributeConfig[] } {
  return {
    standard: Object.keys(STANDARD_CHECKS).filter((n) => allows(standardAccess(profile, n), party, "readwrite")),
    custom: profile.custom_attributes.attributes.filter((a) => allows(a.access_control, party, "readwrite")),
  };
}

/**
 * Userinfo and ID-token claims: the standard claims the bearer may read and the granted scopes
 * release (`all`: every scope, for first-party callers and full-access tokens), and the
 * bearer-readable custom attributes as `custom_attributes`.
 */
export function profileClaims(profile: UserProfileConfig, user: User, scopes: string[] | "all"): Record<string, unknown> {
  const released = new Set(Object.entries(SCOPE_CLAIMS).filter(([scope]) => scopes === "all" || scopes.includes(scope)).flatMap(([, claims]) => claims));
  const { standard_attributes: readable, custom_attributes: custom } = readableProfile(profile, user, "bearer");
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(readable)) if (released.has(name)) claims[name] = value;
  if (released.has("email_verified") && "email" in claims) claims.email_verified = user.isVerified;
  // Proved by an SMS code: userinfo (oauth/userinfo.ts) looks that up; the ID token says false.
  if (released.has("phone_number_verified") && "phone_number" in claims) claims.phone_number_verified = false;
  if (released.has("updated_at")) claims.updated_at = user.updatedAt;
  claims.custom_attributes = custom;
  return claims;
}
