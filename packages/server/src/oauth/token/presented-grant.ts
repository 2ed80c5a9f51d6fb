// The offline grant a refresh token names, with its user, checked: the token is the grant's (current or,
// under rotation, the one just replaced), the grant is this client's and alive, the user is enabled.
//
// Without rotation the grant's row does not change from one refresh to the next, so it comes from the
// validity cache the resolver and userinfo read (session/caller.ts liveSession/liveUser over
// session/validity-cache.ts): revocations and user changes reach that cache at once on this node and
// through the revocation log on the others, and a cached answer is only ever trusted to let a refresh go
// on. Anything the cache would refuse is asked of storage before it is refused, since another node may
// have written since: a newer last use, a token Authgear's import replaced, a user enabled again. Under
// rotation every refresh rewrites the row, so it is always read from storage.
import type { Context } from "../../context.ts";
import type { OfflineGrant } from "../../domain/session.ts";
import type { User } from "../../domain/user.ts";
import { isGrantAlive } from "../../session/liveness.ts";
import { liveSession, liveUser } from "../../session/caller.ts";
import { invalidGrant, type OAuthError } from "../errors.ts";
import type { Client } from "../clients.ts";
import { matchRefreshToken } from "./refresh-token-format.ts";

type Found = { grant: OfflineGrant; user: User | null } | null;
export type PresentedGrant = { grant: OfflineGrant; user: User; presented: "current" | "previous" };

export async function presentedGrant(ctx: Context, client: Client, grantId: string, secretHash: string, now: number): Promise<PresentedGrant> {
  if (!client.refresh_token_rotation_enabled) {
    const cached = fromCache(ctx, grantId, now);
    const verdict = judge(client, cached instanceof Promise ? await cached : cached, secretHash, now);
    if (!(verdict instanceof Error) && verdict.presented === "current") return verdict;
  }
  const verdict = judge(client, await ctx.storage.offlineGrants.getWithUser(grantId), secretHash, now);
  if (verdict instanceof Error) throw verdict;
  return verdict;
}

function judge(client: Client, found: Found, secretHash: string, now: number): PresentedGrant | OAuthError {
  // Neither the current token nor the one the last rotation replaced: a guess or a forgery,
  // which says nothing about who holds the grant, so it revokes nothing.
  const presented = found ? matchRefreshToken(found.grant, secretHash) : null;
  if (!found || !presented) return invalidGrant("the refresh token is invalid");
  const { grant, user } = found;
  if (grant.clientId !== client.client_id) return invalidGrant("the refresh token was issued to another client");
  if (!isGrantAlive(grant, client, now)) return invalidGrant("the refresh token has expired or been revoked");
  if (!user || user.disabled) return invalidGrant("the user is disabled or deleted");
  return { grant, user, presented };
}

/** The live grant and its enabled user from the cache; synchronous on a hit, so a refresh that hits skips the await chain. */
function fromCache(ctx: Context, grantId: string, now: number): Found | Promise<Found> {
  const row = liveSession(ctx, { kind: "offline_grant", id: grantId }, now);
  const withUser = (grant: OfflineGrant | null): Found | Promise<Found> => {
    if (!grant) return null;
    const user = liveUser(ctx, grant.userId);
    return user instanceof Promise ? user.then((u) => ({ grant, user: u })) : { grant, user };
  };
  return row instanceof Promise ? row.then((r) => withUser(r as OfflineGrant | null)) : withUser(row as OfflineGrant | null);
}
