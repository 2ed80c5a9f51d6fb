// POST /oauth2/revoke (RFC 7009). Authgear's web SDK sends only `token=<refresh token>` with no
// client authentication, so the refresh token itself is the credential. Revoking it ends the
// whole offline grant, and with it every access token carrying its sid. Always 200 (§2.2).
import type { Context } from "../context.ts";
import { sha256 } from "../crypto/secrets.ts";
import { matchRefreshToken, parseRefreshToken } from "./token/refresh-token-format.ts";
import { revokeGrant } from "../session/revocation.ts";

export async function revokeToken(ctx: Context, token: string | undefined): Promise<void> {
  if (!token) return;
  const parsed = parseRefreshToken(token);
  if (!parsed) return;
  const grant = await ctx.storage.offlineGrants.get(parsed.grantId);
  // The token a rotation just replaced counts too: a tab that logs out holding it (another tab
  // refreshed a moment ago) must still end the grant.
  if (grant && matchRefreshToken(grant, sha256(parsed.secret))) await revokeGrant(ctx, grant.id);
}
