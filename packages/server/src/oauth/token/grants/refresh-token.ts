// refresh_token grant (RFC 6749 §6). Absolute lifetime and idle timeout per client; optional
// rotation with reuse detection and a grace window for concurrent refreshes (../rotation.ts).
import { sha256 } from "../../../crypto/secrets.ts";
import { TOUCH_INTERVAL_SECONDS } from "../../../session/liveness.ts";
import { OAuthError, invalidGrant } from "../../errors.ts";
import { parseScope } from "../../scopes.ts";
import { authenticateClient } from "../client-auth.ts";
import { issueTokens } from "../issue.ts";
import { parseRefreshToken } from "../refresh-token-format.ts";
import { presentedGrant } from "../presented-grant.ts";
import { rotateRefreshToken } from "../rotation.ts";
import type { GrantHandler } from "../types.ts";
import { requireBoundKey } from "../../../dpop/binding.ts";
import { deviceSecretForRefresh } from "../../../device-keys/device-secret.ts";

export const refreshTokenGrant: GrantHandler = {
  grantType: "refresh_token",
  async handle(ctx, request) {
    const client = authenticateClient(ctx, request);
    const p = request.params;
    if (!p.refresh_token) throw new OAuthError("invalid_request", "refresh_token is required");
    const parsed = parseRefreshToken(p.refresh_token);
    if (!parsed) throw invalidGrant("the refresh token is invalid");
    const now = ctx.now();
    const secretHash = sha256(parsed.secret);
    const { grant, user, presented } = await presentedGrant(ctx, client, parsed.grantId, secretHash, now);
    // RFC 9449 §5: a bound grant needs a proof by its key, checked before rotation spends anything.
    requireBoundKey(grant.dpopJkt, request.dpop);

    // RFC 6749 §6: a narrower scope may be requested, never a wider one.
    let scopes = grant.scopes;
    if (p.scope !== undefined) {
      const requested = parseScope(p.scope);
      if (requested.some((s) => !grant.scopes.includes(s))) throw new OAuthError("invalid_scope", "scope exceeds what was granted");
      scopes = requested;
    }

    const info = { at: now, ip: request.client.ip, userAgent: request.client.userAgent.slice(0, 512) };
    let refreshToken: string | undefined;
    if (client.refresh_token_rotation_enabled) {
      refreshToken = await rotateRefreshToken(ctx, client, grant, { secret: parsed.secret, hash: secretHash }, info);
    } else if (presented === "previous") {
      // Rotated while rotation was on; with it off there is no grace and no reuse detection.
      throw invalidGrant("the refresh token has already been used");
    } else if (grant.lastAccessedAt + TOUCH_INTERVAL_SECONDS <= now) {
      // Last-access writes are debounced like the session's: idle timeouts are far longer.
      if (!(await ctx.storage.offlineGrants.touch(grant.id, info))) throw invalidGrant("the refresh token has been revoked");
      ctx.validity.touched({ kind: "offline_grant", id: grant.id }, now);
    }
    const deviceSecret = await deviceSecretForRefresh(ctx, grant.id, grant.scopes, p.device_secret);
    return issueTokens(ctx, client, {
      user, clientId: client.client_id, scopes, amr: grant.amr, authenticatedAt: grant.authenticatedAt,
      session: { kind: "offline_grant", id: grant.id },
    }, { refreshToken, dpopJkt: request.dpop?.jkt, ...deviceSecret });
  },
};
