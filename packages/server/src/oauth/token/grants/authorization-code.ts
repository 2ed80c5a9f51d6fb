// authorization_code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.6). A code works once; a
// replay revokes what the first exchange issued (RFC 6749 §4.1.2, RFC 9700 §4.5).
import { createHash } from "node:crypto";
import { randomId, safeEqual } from "../../../crypto/secrets.ts";
import { sha256 } from "../../../crypto/secrets.ts";
import { OAuthError, invalidGrant } from "../../errors.ts";
import { authenticateClient } from "../client-auth.ts";
import { issueTokens } from "../issue.ts";
import { newRefreshToken } from "../refresh-token-format.ts";
import { revokeGrant } from "../../../session/revocation.ts";
import type { GrantHandler } from "../types.ts";

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

export const authorizationCodeGrant: GrantHandler = {
  grantType: "authorization_code",
  async handle(ctx, request) {
    const client = authenticateClient(ctx, request);
    const p = request.params;
    if (!p.code) throw new OAuthError("invalid_request", "code is required");
    const now = ctx.now();
    const codeHash = sha256(p.code);
    const result = await ctx.storage.codes.consume(codeHash, now);
    if (result.kind === "missing") throw invalidGrant("the authorization code is invalid");
    const code = result.code;
    if (result.kind === "reused") {
      if (code.issuedGrantId) await revokeGrant(ctx, code.issuedGrantId);
      throw invalidGrant("the authorization code has already been used");
    }
    if (code.expiresAt <= now) throw invalidGrant("the authorization code has expired");
    if (code.clientId !== client.client_id) throw invalidGrant("the authorization code was issued to another client");
    if (p.redirect_uri !== undefined ? p.redirect_uri !== code.redirectUri : client.redirect_uris.length !== 1) {
      throw invalidGrant("redirect_uri does not match the authorization request");
    }
    if (code.codeChallenge) {
      if (!p.code_verifier || !VERIFIER.test(p.code_verifier)) throw invalidGrant("code_verifier is missing or malformed");
      if (!safeEqual(s256(p.code_verifier), code.codeChallenge)) throw invalidGrant("code_verifier does not match the code_challenge");
    } else if (p.code_verifier !== undefined) {
      // RFC 9700 §2.1.1: a verifier without a challenge means someone stripped the challenge.
      throw invalidGrant("code_verifier sent but no code_challenge was used");
    }

    const user = await ctx.storage.users.get(code.userId);
    if (!user || user.disabled) throw invalidGrant("the user is disabled or deleted");
    const session = await ctx.storage.sessions.get(code.idpSessionId);
    if (!session || session.revokedAt !== null) throw invalidGrant("the session has ended");

    let refreshToken: string | undefined;
    let sessionRef = { kind: "idp_session" as const, id: code.idpSessionId } as { kind: "idp_session" | "offline_grant"; id: string };
    if (code.scopes.includes("offline_access")) {
      const grantId = randomId();
      const rt = newRefreshToken(grantId);
      await ctx.storage.offlineGrants.create({
        id: grantId, clientId: client.client_id, userId: user.id, idpSessionId: code.idpSessionId, scopes: code.scopes,
        amr: code.amr, authenticatedAt: code.authenticatedAt, tokenHash: rt.hash, createdAt: now, lastAccessedAt: now,
        expiresAt: now + client.refresh_token_lifetime_seconds, ip: request.client.ip, userAgent: request.client.userAgent.slice(0, 512), revokedAt: null,
      });
      await ctx.storage.codes.recordIssuedGrant(codeHash, grantId);
      refreshToken = rt.token;
      sessionRef = { kind: "offline_grant", id: grantId };
    }
    return issueTokens(ctx, client, {
      user, clientId: client.client_id, scopes: code.scopes, amr: code.amr, authenticatedAt: code.authenticatedAt, session: sessionRef,
    }, { refreshToken, nonce: code.nonce });
  },
};
