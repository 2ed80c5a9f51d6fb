// The user claims identities and authenticators give userinfo, shaped as Authgear's server sends
// them and its SDKs read them: `https://authgear.com/claims/user/identities` (type, login_id_key,
// login_id_type / oauth_provider_type, oauth_provider_alias, created_at, updated_at as RFC 3339),
// `…/authenticators` (type, kind), `…/recovery_code_enabled`, and the standard claims login IDs
// stand for: phone_number (E.164) and preferred_username.
import type { Identity } from "../domain/identity.ts";
import type { TotpAuthenticator } from "../domain/account.ts";
import type { User } from "../domain/user.ts";

export const IDENTITIES_CLAIM = "https://authgear.com/claims/user/identities";
export const AUTHENTICATORS_CLAIM = "https://authgear.com/claims/user/authenticators";
export const RECOVERY_CODE_ENABLED_CLAIM = "https://authgear.com/claims/user/recovery_code_enabled";

const rfc3339 = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");

export function identityClaim(i: Identity): Record<string, unknown> {
  const base = { type: i.type, created_at: rfc3339(i.createdAt), updated_at: rfc3339(i.updatedAt) };
  if (i.type === "login_id") return { ...base, login_id_key: i.loginIdKey, login_id_type: i.loginIdType };
  if (i.type === "oauth") {
    // The provider's type is what the social-login code records in the identity's claims.
    const providerType = typeof i.claims.provider_type === "string" ? i.claims.provider_type : null;
    return { ...base, oauth_provider_type: providerType, oauth_provider_alias: i.providerAlias };
  }
  return base;
}

/**
 * Authgear's authenticator list: the password (primary), each passkey (primary, like Authgear's
 * passkey authenticator beside its identity) and a confirmed TOTP (secondary). The password row
 * keeps no creation time: the user's is given.
 */
export function authenticatorClaims(
  user: User, hasPassword: boolean, totp: TotpAuthenticator | null, passkeys: readonly { createdAt: number; updatedAt: number }[] = [],
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (hasPassword) out.push({ type: "password", kind: "primary", created_at: rfc3339(user.createdAt), updated_at: rfc3339(user.createdAt) });
  for (const p of passkeys) out.push({ type: "passkey", kind: "primary", created_at: rfc3339(p.createdAt), updated_at: rfc3339(p.updatedAt) });
  if (totp?.confirmedAt != null) out.push({ type: "totp", kind: "secondary", created_at: rfc3339(totp.createdAt), updated_at: rfc3339(totp.confirmedAt) });
  return out;
}
