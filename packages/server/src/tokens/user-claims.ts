import type { User } from "../domain/user.ts";

/** Authgear's user claims, carried in access tokens, ID tokens and userinfo. */
export function authgearUserClaims(user: User): Record<string, unknown> {
  return {
    "https://authgear.com/claims/user/is_anonymous": user.isAnonymous,
    "https://authgear.com/claims/user/is_verified": user.isVerified,
    "https://authgear.com/claims/user/can_reauthenticate": !user.isAnonymous,
    "https://authgear.com/claims/user/roles": user.roles,
  };
}
