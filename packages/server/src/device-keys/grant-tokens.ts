// Tokens for a device-key sign-in (anonymous or biometric): a new offline grant with no IdP session
// behind it (Authgear issues these with SSOEnabled false: no browser holds them), and the
// usual token response minted from it.
import type { Context } from "../context.ts";
import { randomId } from "../crypto/secrets.ts";
import type { User } from "../domain/user.ts";
import type { Client } from "../oauth/clients.ts";
import { issueTokens } from "../oauth/token/issue.ts";
import { newRefreshToken } from "../oauth/token/refresh-token-format.ts";
import type { TokenRequest, TokenResponse } from "../oauth/token/types.ts";
import { OAuthError } from "../oauth/errors.ts";
import { deviceSecretForNewGrant } from "./device-secret.ts";

/** The one error a device-key grant answers for any bad key, JWT or challenge (Authgear's api.InvalidCredentials). */
export const invalidCredentials = (): OAuthError => new OAuthError("invalid_grant", "InvalidCredentials");

export async function issueDeviceKeyTokens(
  ctx: Context, client: Client, user: User, request: TokenRequest, o: { scopes: string[]; amr: string[] },
): Promise<TokenResponse> {
  const now = ctx.now();
  const id = randomId();
  const rt = newRefreshToken(id);
  await ctx.storage.offlineGrants.create({
    id, clientId: client.client_id, userId: user.id, idpSessionId: null, scopes: o.scopes, amr: o.amr, authenticatedAt: now,
    tokenHash: rt.hash, createdAt: now, lastAccessedAt: now, expiresAt: now + client.refresh_token_lifetime_seconds,
    ip: request.client.ip, userAgent: request.client.userAgent.slice(0, 512), revokedAt: null,
    previousTokenHash: null, rotatedAt: null, rotationSalt: null,
    // RFC 9449: a native SDK's proof binds the new refresh token (and the access token) to its key.
    dpopJkt: request.dpop?.jkt ?? null,
  });
  return issueTokens(ctx, client, {
    user, clientId: client.client_id, scopes: o.scopes, amr: o.amr, authenticatedAt: now, session: { kind: "offline_grant", id },
  }, { refreshToken: rt.token, dpopJkt: request.dpop?.jkt, ...(await deviceSecretForNewGrant(ctx, id, o.scopes)) });
}

/** Authgear's client.HasFullAccessScope(): first-party app types may act for the user in full. */
export function hasFullAccess(client: Client): boolean {
  return client.x_application_type === "spa" || client.x_application_type === "traditional_webapp" || client.x_application_type === "native";
}
