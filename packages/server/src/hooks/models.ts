// The objects event payloads carry, in Authgear's shapes (pkg/api/model/user.go, identity.go,
// session.go). Every payload's `user` comes from userModel: one function, one shape.
import type { User } from "../domain/user.ts";
import type { Identity } from "../domain/identity.ts";
import type { IdpSession, OfflineGrant } from "../domain/session.ts";
import type { UserProfileConfig } from "../config/user-profile.ts";
import { readableProfile } from "../attributes/profile.ts";

const iso = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString();

export interface UserModel {
  id: string;
  created_at: string;
  updated_at: string;
  is_anonymous: boolean;
  is_verified: boolean;
  is_disabled: boolean;
  disable_reason?: string;
  is_deactivated: boolean;
  can_reauthenticate: boolean;
  standard_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  roles: string[];
  [key: string]: unknown;
}

/**
 * Authgear's model.User: attributes as the admin API sees them (custom ones by pointer name).
 * `can_reauthenticate` as the access token's claim: any non-anonymous user may.
 */
export function userModel(user: User, profile: UserProfileConfig): UserModel {
  const attributes = readableProfile(profile, user, "admin");
  return {
    id: user.id,
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
    is_anonymous: user.isAnonymous,
    is_verified: user.isVerified,
    is_disabled: user.disabled,
    ...(user.disabled && user.disabledReason !== null ? { disable_reason: user.disabledReason } : {}),
    is_deactivated: false,
    can_reauthenticate: !user.isAnonymous,
    standard_attributes: attributes.standard_attributes,
    custom_attributes: attributes.custom_attributes,
    roles: [...user.roles],
  };
}

/** Authgear's model.Identity: `type` is login_id / oauth / passkey, `claims` what it vouches for. */
export function identityModel(identity: Identity): Record<string, unknown> {
  const claims: Record<string, unknown> = { ...identity.claims };
  if (identity.type === "login_id") {
    claims["https://authgear.com/claims/login_id/key"] = identity.loginIdKey;
    claims["https://authgear.com/claims/login_id/type"] = identity.loginIdType;
    claims["https://authgear.com/claims/login_id/value"] = identity.loginId;
    claims["https://authgear.com/claims/login_id/original_value"] = identity.originalLoginId;
  } else if (identity.type === "oauth") {
    claims["https://authgear.com/claims/oauth/provider_alias"] = identity.providerAlias;
    claims["https://authgear.com/claims/oauth/subject_id"] = identity.providerSubject;
  }
  return { id: identity.id, created_at: iso(identity.createdAt), updated_at: iso(identity.updatedAt), type: identity.type, claims };
}

/** Authgear's model.Session: an IdP session (`idp`) or an offline grant (`offline_grant`). */
export function sessionModel(s: IdpSession | OfflineGrant): Record<string, unknown> {
  const grant = "clientId" in s;
  return {
    id: s.id,
    created_at: iso(s.createdAt),
    updated_at: iso(s.lastAccessedAt),
    type: grant ? "offline_grant" : "idp",
    amr: [...s.amr],
    last_accessed_at: iso(s.lastAccessedAt),
    created_by_ip: s.ip,
    last_accessed_by_ip: s.ip,
    display_name: s.userAgent,
    ...(grant ? { client_id: s.clientId } : {}),
  };
}

/** The event name of a login ID's identity.{email,phone,username}.* events; null for other identities. */
export function identityEventKind(identity: Identity): "email" | "phone" | "username" | "oauth" | null {
  if (identity.type === "oauth") return "oauth";
  if (identity.type === "login_id" && identity.loginIdType !== null) return identity.loginIdType;
  return null;
}
