// The OpenID standard claims a user's profile holds (OIDC Core §5.1), as Authgear's user_profile
// lists them. email, phone_number and preferred_username come from the user's login IDs and are
// not set here; the rest are stored in users.standard_attributes.
import * as v from "./values.ts";

export const STANDARD_CHECKS: Record<string, v.Check> = {
  name: v.line, given_name: v.line, family_name: v.line, middle_name: v.line, nickname: v.line,
  // Authgear offers male/female and takes any other word as well.
  gender: v.line,
  picture: v.url, profile: v.url, website: v.url,
  birthdate: v.birthdate, zoneinfo: v.zoneinfo, locale: v.locale, address: v.address,
};

/** Derived from login IDs, never stored in standard_attributes. */
export const IDENTITY_ATTRIBUTES = new Set(["email", "phone_number", "preferred_username"]);

/** OIDC scopes → the standard claims they release (OIDC Core §5.4). */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ["name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"],
  email: ["email", "email_verified"],
  phone: ["phone_number", "phone_number_verified"],
  address: ["address"],
};
