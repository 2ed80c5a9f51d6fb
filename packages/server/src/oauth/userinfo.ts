// GET|POST /oauth2/userinfo (OIDC Core §5.3): standard claims for the granted scopes plus
// Authgear's user claims.
import type { Caller } from "../session/caller.ts";
import { authgearUserClaims } from "../tokens/user-claims.ts";

export function userinfoClaims(caller: Caller): Record<string, unknown> {
  const u = caller.user;
  const claims: Record<string, unknown> = { sub: u.id };
  // Cookie callers (first-party pages) and full-access tokens see the email; others need the email scope.
  const all = caller.clientId === null || caller.scopes.includes("https://authgear.com/scopes/full-access");
  // A user without an email (phone or username only) has no email claims at all.
  if (u.email !== null && (all || caller.scopes.includes("email"))) {
    claims.email = u.email;
    claims.email_verified = u.isVerified;
  }
  if (all || caller.scopes.includes("profile")) claims.updated_at = u.updatedAt;
  return { ...claims, ...authgearUserClaims(u) };
}
