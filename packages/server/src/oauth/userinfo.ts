// GET|POST /oauth2/userinfo (OIDC Core §5.3): the standard claims the granted scopes release and the
// bearer may read (user_profile access control), custom_attributes, and Authgear's user claims.
import type { Caller } from "../session/caller.ts";
import type { UserProfileConfig } from "../config/user-profile.ts";
import { authgearUserClaims } from "../tokens/user-claims.ts";
import { profileClaims } from "../attributes/profile.ts";

/** Cookie callers (first-party pages) and full-access tokens get every scope's claims. */
export function releasedScopes(caller: Pick<Caller, "clientId" | "scopes">): string[] | "all" {
  return caller.clientId === null || caller.scopes.includes("https://authgear.com/scopes/full-access") ? "all" : caller.scopes;
}

export function userinfoClaims(caller: Caller, profile: UserProfileConfig): Record<string, unknown> {
  const u = caller.user;
  return { sub: u.id, ...profileClaims(profile, u, releasedScopes(caller)), ...authgearUserClaims(u) };
}
