// The anonymous-user APIs name the session by a refresh token (session_type=refresh_token) or the
// IdP session cookie (session_type=cookie), as authgear-sdk-js authgear-core/src/client.ts sends them.
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import type { OfflineGrant } from "../storage/ports.ts";
import { sha256 } from "../crypto/secrets.ts";
import { matchRefreshToken, parseRefreshToken } from "../oauth/token/refresh-token-format.ts";
import { isGrantAlive } from "../session/liveness.ts";
import { callerFromCookie } from "../session/caller.ts";
import type { EdgeRequest } from "../edge/types.ts";
import { sessionCookieSettings } from "../session/cookie.ts";

/** The live grant and user a refresh token (current, not a rotated-out one) belongs to, or null. */
export async function grantForRefreshToken(ctx: Context, token: string): Promise<{ grant: OfflineGrant; user: User } | null> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return null;
  const found = await ctx.storage.offlineGrants.getWithUser(parsed.grantId);
  if (!found?.user || found.user.disabled) return null;
  if (matchRefreshToken(found.grant, sha256(parsed.secret)) !== "current") return null;
  if (!isGrantAlive(found.grant, ctx.clients.get(found.grant.clientId), ctx.now())) return null;
  return { grant: found.grant, user: found.user };
}

/** The user signed in by the request's `session` cookie, or null. */
export async function userFromSessionCookie(ctx: Context, request: EdgeRequest): Promise<User | null> {
  const value = request.cookie(sessionCookieSettings(ctx.config).name);
  const caller = value ? await callerFromCookie(ctx, value, request.client) : null;
  return caller?.user ?? null;
}
