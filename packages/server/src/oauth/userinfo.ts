// GET|POST /oauth2/userinfo (OIDC Core §5.3): standard claims for the granted scopes plus
// Authgear's user claims. First-party callers (cookie, or the full-access scope) also get the
// identities, authenticators and recovery_code_enabled claims (Authgear hides them from third-party
// apps: they tell which providers and factors an account has).
import type { Context } from "../context.ts";
import type { Caller } from "../session/caller.ts";
import { authgearUserClaims } from "../tokens/user-claims.ts";
import {
  AUTHENTICATORS_CLAIM, IDENTITIES_CLAIM, RECOVERY_CODE_ENABLED_CLAIM, authenticatorClaims, identityClaim, loginIdStandardClaims,
} from "../identity/claims.ts";

export async function userinfoClaims(ctx: Context, caller: Caller): Promise<Record<string, unknown>> {
  const u = caller.user;
  const claims: Record<string, unknown> = { sub: u.id };
  const all = caller.clientId === null || caller.scopes.includes("https://authgear.com/scopes/full-access");
  const granted = (scope: string): boolean => all || caller.scopes.includes(scope);
  // A user without an email (phone or username only) has no email claims at all.
  if (u.email !== null && granted("email")) {
    claims.email = u.email;
    claims.email_verified = u.isVerified;
  }
  const needIdentities = all || granted("phone") || granted("profile");
  // One round of reads, side by side (PostgreSQL answers them on separate connections).
  const [identities, hash, totp] = await Promise.all([
    needIdentities ? ctx.storage.identities.listByUser(u.id) : [],
    all ? ctx.storage.passwords.get(u.id) : null,
    all ? ctx.storage.totp.get(u.id) : null,
  ]);
  const standard = loginIdStandardClaims(identities);
  if (standard.phone_number !== undefined && granted("phone")) {
    claims.phone_number = standard.phone_number;
    // No phone verification exists yet: a phone login ID is not a verified claim.
    claims.phone_number_verified = false;
  }
  if (granted("profile")) {
    if (standard.preferred_username !== undefined) claims.preferred_username = standard.preferred_username;
    claims.updated_at = u.updatedAt;
  }
  Object.assign(claims, authgearUserClaims(u));
  if (all) {
    claims[AUTHENTICATORS_CLAIM] = authenticatorClaims(u, hash !== null, totp);
    claims[IDENTITIES_CLAIM] = identities.map(identityClaim);
    // Recovery codes come with a confirmed authenticator app (account/mfa).
    claims[RECOVERY_CODE_ENABLED_CLAIM] = totp?.confirmedAt != null;
  }
  return claims;
}
