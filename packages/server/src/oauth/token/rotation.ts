// Refresh-token rotation with reuse detection (RFC 9700 §4.14.2) and a grace window.
//
// Each rotation keeps the replaced token's hash, when it was replaced, and the salt the new
// secret was derived with from the replaced one. So, for a token presented again:
//  - within the grace window: the same successor is derived and returned. Two tabs, a retried
//    request, a response lost to a crash: all converge on the one live token;
//  - after it: the token was used up, and either the client or a thief holds the live one. The
//    server cannot tell which, so it revokes the grant (feed and audit log, via revokeOnReplay).
// A token matching neither hash is a guess or a forgery and revokes nothing.
import type { Context } from "../../context.ts";
import { revokeOnReplay } from "../../session/revocation.ts";
import type { OfflineGrant } from "../../storage/ports.ts";
import { safeEqual } from "../../crypto/secrets.ts";
import type { Client } from "../clients.ts";
import { invalidGrant } from "../errors.ts";
import { matchRefreshToken, newRotationSalt, successorRefreshToken } from "./refresh-token-format.ts";

export interface PresentedToken {
  secret: string;
  hash: string;
}

/** Rotates the presented token (current or, within the window, previous); returns the live token. */
export async function rotateRefreshToken(
  ctx: Context, client: Client, grant: OfflineGrant, presented: PresentedToken, use: { at: number; ip: string; userAgent: string },
): Promise<string> {
  let row = grant;
  if (matchRefreshToken(row, presented.hash) === "current") {
    const salt = newRotationSalt();
    const next = successorRefreshToken(row.id, presented.secret, salt);
    if (await ctx.storage.offlineGrants.rotate(row.id, { ...use, expectedTokenHash: presented.hash, newTokenHash: next.hash, salt })) return next.token;
    // Another request rotated this token first, or the grant was revoked meanwhile: see what it left.
    const fresh = await ctx.storage.offlineGrants.get(row.id);
    if (!fresh || fresh.revokedAt !== null) throw invalidGrant("the refresh token has been revoked");
    row = fresh;
  }
  // Two rotations since this token was current: it is not the previous one any more.
  if (matchRefreshToken(row, presented.hash) !== "previous" || row.rotatedAt === null || row.rotationSalt === null) {
    throw invalidGrant("the refresh token has already been used");
  }
  const grace = client.refresh_token_rotation_grace_period_seconds;
  if (grace > 0 && use.at - row.rotatedAt <= grace) {
    const successor = successorRefreshToken(row.id, presented.secret, row.rotationSalt);
    // Always true while previous hash, salt and current hash are written together (rotate()).
    if (safeEqual(successor.hash, row.tokenHash)) return successor.token;
    throw invalidGrant("the refresh token has already been used");
  }
  await revokeOnReplay(ctx, { kind: "offline_grant", id: row.id }, { userId: row.userId, clientId: row.clientId, reason: "refresh_token_reuse" });
  throw invalidGrant("the refresh token has already been used; the grant is revoked");
}
