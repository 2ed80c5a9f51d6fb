// urn:authgear:params:oauth:grant-type:anonymous-request: a native app signs in as an anonymous user
// bound to a key on the device (authgear-sdk-js packages/authgear-react-native/src/index.ts
// authenticateAnonymously). A kid seen before signs in its user after its stored key verifies the
// JWT; an unseen kid makes a new anonymous user, but only once the inline key has verified it.
// Errors as Authgear's handleAnonymousRequest (pkg/lib/oauth/handler/handler_token.go).
import { randomUUID } from "node:crypto";
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import { OAuthError } from "../oauth/errors.ts";
import { deleteUser } from "../session/revocation.ts";
import { FULL_ACCESS_SCOPE } from "../oauth/scopes.ts";
import { authenticateClient } from "../oauth/token/client-auth.ts";
import type { GrantHandler } from "../oauth/token/types.ts";
import { consumeChallenge } from "./challenges.ts";
import { hasFullAccess, invalidCredentials, issueDeviceKeyTokens } from "./grant-tokens.ts";
import { DeviceKeyJwtError, parseDeviceKeyJwt, storableJwk, verifyDeviceKeyJwt } from "./jwt.ts";

export const ANONYMOUS_SCOPES = ["openid", "offline_access", FULL_ACCESS_SCOPE];

export function anonymousEnabled(ctx: Context): boolean {
  return ctx.config.authentication.identities.includes("anonymous");
}

/** A new anonymous user: no email, no login ID, no password. */
export async function createAnonymousUser(ctx: Context): Promise<User> {
  const now = ctx.now();
  const user: User = {
    id: randomUUID(), email: null, isVerified: false, isAnonymous: true, disabled: false, disabledReason: null, roles: [],
    standardAttributes: {}, customAttributes: {}, createdAt: now, updatedAt: now,
  };
  const created = await ctx.storage.users.create(user, null, []);
  if (!created) throw new Error("could not create an anonymous user");
  return created;
}

/**
 * Verifies an anonymous-request JWT with `action` and spends its challenge: the anonymous user its
 * key is bound to (null for a key never seen, with the key to bind), or InvalidCredentials.
 */
export async function verifyAnonymousRequest(ctx: Context, jwt: string, action: "auth" | "promote") {
  try {
    const request = parseDeviceKeyJwt(jwt, "anonymous", ctx.now());
    if (request.action !== action) throw invalidCredentials();
    const existing = await ctx.storage.deviceKeys.findByKeyId("anonymous", request.keyId);
    // No stored key: a new key must come inline, and it must have signed the JWT.
    const key = existing?.jwk ?? request.inlineKey;
    if (!key) throw invalidCredentials();
    await verifyDeviceKeyJwt(jwt, request, key);
    if (!(await consumeChallenge(ctx, request.challenge, "anonymous_request"))) throw invalidCredentials();
    return { existing, keyId: request.keyId, jwk: storableJwk(key, request.keyId) };
  } catch (err) {
    if (err instanceof DeviceKeyJwtError) throw invalidCredentials();
    throw err;
  }
}

export const anonymousRequestGrant: GrantHandler = {
  grantType: "urn:authgear:params:oauth:grant-type:anonymous-request",
  async handle(ctx, request) {
    const client = authenticateClient(ctx, request);
    const jwt = request.params.jwt;
    if (!jwt) throw new OAuthError("invalid_request", "jwt is required");
    if (!hasFullAccess(client)) {
      throw new OAuthError("unauthorized_client", "Anonymous user is not supported by the client application type. Try using SPA, Traditional Web App, or Native App client types if applicable.");
    }
    if (!anonymousEnabled(ctx)) throw new OAuthError("unauthorized_client", "AnonymousUserDisallowed");
    const verified = await verifyAnonymousRequest(ctx, jwt, "auth");
    let user: User | null;
    if (verified.existing) {
      user = await ctx.storage.users.get(verified.existing.userId);
      await ctx.storage.deviceKeys.touch(verified.existing.id, ctx.now());
    } else {
      user = await createAnonymousUser(ctx);
      const now = ctx.now();
      const bound = await ctx.storage.deviceKeys.create({
        id: randomUUID(), userId: user.id, type: "anonymous", keyId: verified.keyId, jwk: verified.jwk, deviceInfo: {}, createdAt: now, lastUsedAt: now,
      });
      if (!bound) {
        // Another request bound this kid meanwhile: the user made here is nobody's.
        await deleteUser(ctx, user.id);
        throw invalidCredentials();
      }
    }
    if (!user || user.disabled) throw invalidCredentials();
    return issueDeviceKeyTokens(ctx, client, user, request, { scopes: ANONYMOUS_SCOPES, amr: [] });
  },
};
