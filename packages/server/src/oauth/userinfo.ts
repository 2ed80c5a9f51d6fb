// GET|POST /oauth2/userinfo (OIDC Core §5.3): the standard claims the granted scopes release and the
// bearer may read (user_profile access control; phone_number and preferred_username follow the login
// IDs), custom_attributes, and Authgear's user claims. First-party callers (cookie, or the full-access
// scope) also get the identities, authenticators and recovery_code_enabled claims (Authgear hides them
// from third-party apps: they tell which providers and factors an account has).
import type { Context } from "../context.ts";
import type { Caller } from "../session/caller.ts";
import { authgearUserClaims } from "../tokens/user-claims.ts";
import { profileClaims } from "../attributes/profile.ts";
import { phoneVerified } from "../account/oob-otp/finish.ts";
import { AUTHENTICATORS_CLAIM, IDENTITIES_CLAIM, RECOVERY_CODE_ENABLED_CLAIM, authenticatorClaims, identityClaim } from "../identity/claims.ts";

/** Cookie callers (first-party pages) and full-access tokens get every scope's claims. */
export function releasedScopes(caller: Pick<Caller, "clientId" | "scopes">): string[] | "all" {
  return caller.clientId === null || caller.scopes.includes("https://authgear.com/scopes/full-access") ? "all" : caller.scopes;
}

export async function userinfoClaims(ctx: Context, caller: Caller): Promise<Record<string, unknown>> {
  const u = caller.user;
  const scopes = releasedScopes(caller);
  // The profile claims come from the user row (its attributes follow the login IDs): no query here.
  const claims: Record<string, unknown> = { sub: u.id, ...profileClaims(ctx.config.user_profile, u, scopes), ...authgearUserClaims(u) };
  // A phone number is verified once an SMS code to it was typed (account/oob-otp): one query, only when released.
  if (claims.phone_number_verified === false) claims.phone_number_verified = await phoneVerified(ctx, u.id, claims.phone_number);
  if (scopes === "all") {
    const [identities, hash, totp, passkeys] = await Promise.all([
      ctx.storage.identities.listByUser(u.id), ctx.storage.passwords.get(u.id), ctx.storage.totp.get(u.id), ctx.storage.passkeys.listByUser(u.id),
    ]);
    claims[AUTHENTICATORS_CLAIM] = authenticatorClaims(u, hash !== null, totp, passkeys);
    claims[IDENTITIES_CLAIM] = identities.map(identityClaim);
    // Recovery codes come with a confirmed authenticator app (account/mfa).
    claims[RECOVERY_CODE_ENABLED_CLAIM] = totp?.confirmedAt != null;
  }
  return claims;
}
