// The offline grant a refresh token names, with its user, checked: the token is the grant's (current or,
// under rotation, the one just replaced), the grant is this client's and alive, the user is enabled.
//
// Without rotation the grant's row does not change from one refresh to the next, so it comes from the
// validity cache the resolver and userinfo read (session/validity-cache.ts): revocations and user changes
// reach that cache at once on this node and through the revocation log on the others, and a cached
// answer is only ever trusted to let a refresh go on. Anything the cache would refuse, bar a revocation
// (which is never undone), is asked of storage again before it is refused, since another node may have
// written since: a newer last use, a token Authgear's import replaced, a user enabled again. Under
// rotation every refresh rewrites the row, so it is always read from storage.
import type { Context } from "../../context.ts";
import type { OfflineGrant } from "../../domain/session.ts";
import type { User } from "../../domain/user.ts";
import { isGrantAlive } from "../../session/liveness.ts";
import { invalidGrant, type OAuthError } from "../errors.ts";
import type { Client } from "../clients.ts";
import { matchRefreshToken } from "./refresh-token-format.ts";

type Found = { grant: OfflineGrant; user: User | null } | null;
export type PresentedGrant = { grant: OfflineGrant; user: User; presented: "current" | "previous" };

export async function presentedGrant(ctx: Context, client: Client, grantId: string, secretHash: string, now: number): Promise<PresentedGrant> {
  if (!client.refresh_token_rotation_enabled) {
    const cached = cachedGrant(ctx, grantId);
    const found = cached instanceof Promise ? await cached : cached;
    const verdict = judge(client, found, secretHash, now);
    const revoked = found !== null && found.grant.revokedAt !== null;
    if (revoked || (!(verdict instanceof Error) && verdict.presented === "current")) return accept(verdict);
  }
  return accept(judge(client, await ctx.storage.offlineGrants.getWithUser(grantId), secretHash, now));
}

function accept(verdict: PresentedGrant | OAuthError): PresentedGrant {
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

/** Synchronous on a cache hit, so a refresh that hits skips the await chain. */
function cachedGrant(ctx: Context, grantId: string): Found | Promise<Found> {
  const ref = { kind: "offline_grant", id: grantId } as const;
  const hit = ctx.validity.peekSession(ref);
  if (hit === undefined) return ctx.validity.session(ref).then((record) => withUser(ctx, record?.kind === "offline_grant" ? record.row : null));
  return withUser(ctx, hit?.kind === "offline_grant" ? hit.row : null);
}

function withUser(ctx: Context, grant: OfflineGrant | null): Found | Promise<Found> {
  if (!grant) return null;
  const user = ctx.validity.peekUser(grant.userId);
  if (user === undefined) return ctx.validity.user(grant.userId).then((u) => ({ grant, user: u }));
  return { grant, user };
}
