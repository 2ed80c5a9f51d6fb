// An identity: one way a user is known. Login IDs (email, phone, username, under a configured
// key as in Authgear's `identity.login_id.keys`), OAuth accounts (provider alias + subject) and
// passkeys. A user may have several, and need not have an email at all.

export type IdentityType = "login_id" | "oauth" | "passkey";
export type LoginIdType = "email" | "phone" | "username";

export const IDENTITY_TYPES: readonly IdentityType[] = ["login_id", "oauth", "passkey"];
export const LOGIN_ID_TYPES: readonly LoginIdType[] = ["email", "phone", "username"];

export interface Identity {
  id: string;
  userId: string;
  type: IdentityType;
  /** Login IDs: the config key (`email`, `phone`, `username`, or an operator's own name). */
  loginIdKey: string | null;
  loginIdType: LoginIdType | null;
  /** Login IDs: normalised (what uniqueness and look-ups use), unique per key. */
  loginId: string | null;
  /** Login IDs: as the user typed it (Authgear keeps both). */
  originalLoginId: string | null;
  /** OAuth: the configured provider alias; the subject is unique per alias. */
  providerAlias: string | null;
  providerSubject: string | null;
  /** Standard claims the identity vouches for (`email`, `phone_number`, `preferred_username`, upstream claims). */
  claims: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

/** The claim a login ID of each type carries, as Authgear names it. */
export const LOGIN_ID_CLAIM: Record<LoginIdType, "email" | "phone_number" | "preferred_username"> = {
  email: "email",
  phone: "phone_number",
  username: "preferred_username",
};

/** A login-ID identity, its claim filled from the normalised value. */
export function loginIdIdentity(o: {
  id: string; userId: string; key: string; type: LoginIdType; loginId: string; originalLoginId: string; at: number;
}): Identity {
  return {
    id: o.id, userId: o.userId, type: "login_id", loginIdKey: o.key, loginIdType: o.type, loginId: o.loginId,
    originalLoginId: o.originalLoginId, providerAlias: null, providerSubject: null,
    claims: { [LOGIN_ID_CLAIM[o.type]]: o.loginId }, createdAt: o.at, updatedAt: o.at,
  };
}
