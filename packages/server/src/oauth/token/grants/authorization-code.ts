// authorization_code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.6). A code works once; a
// replay revokes what the first exchange issued (RFC 6749 §4.1.2, RFC 9700 §4.5).
import { createHash } from "node:crypto";
import type { Context } from "../../../context.ts";
import { randomId, safeEqual, sha256 } from "../../../crypto/secrets.ts";
import { revokeGrant, revokeOnReplay } from "../../../session/revocation.ts";
import type { AuthorizationCode } from "../../../storage/ports.ts";
import type { SessionRef } from "../../../tokens/sid.ts";
import type { Client } from "../../clients.ts";
import { OAuthError, invalidGrant } from "../../errors.ts";
import type { Params } from "../../params.ts";
import { authenticateClient } from "../client-auth.ts";
import { issueTokens } from "../issue.ts";
import { newRefreshToken } from "../refresh-token-format.ts";
import type { GrantHandler } from "../types.ts";
import { requireBoundKey } from "../../../dpop/binding.ts";
import { deviceSecretForNewGrant } from "../../../device-keys/device-secret.ts";

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/**
 * Is this the request the code was issued for? Only reads: a request failing here must change
 * nothing, or another client, or anyone without the verifier, could spend (and so burn) the
 * rightful client's code. Only a request passing these may use the code or trigger a replay's
 * revocation (as panva's node-oidc-provider orders it).
 */
function checkBinding(client: Client, code: AuthorizationCode, p: Params): void {
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
}

/**
 * The code was already exchanged: revoke what that exchange issued. With offline_access that is
 * its grant (every token it issued carries the grant's sid). Without, the access token's sid is
 * the IdP session itself, so only ending the session kills it.
 */
async function replayed(ctx: Context, code: AuthorizationCode): Promise<never> {
  const ref: SessionRef = code.issuedGrantId ? { kind: "offline_grant", id: code.issuedGrantId } : { kind: "idp_session", id: code.idpSessionId };
  await revokeOnReplay(ctx, ref, { userId: code.userId, clientId: code.clientId, reason: "authorization_code_replay" });
  throw invalidGrant("the authorization code has already been used");
}

export const authorizationCodeGrant: GrantHandler = {
  grantType: "authorization_code",
  async handle(ctx, request) {
    const client = authenticateClient(ctx, request);
    const p = request.params;
    if (!p.code) throw new OAuthError("invalid_request", "code is required");
    const now = ctx.now();
    const codeHash = sha256(p.code);
    const code = await ctx.storage.codes.get(codeHash);
    if (!code) throw invalidGrant("the authorization code is invalid");
    checkBinding(client, code, p);
    // RFC 9449 §10: a code issued for a dpop_jkt is spent (or its replay punished) only with that key.
    requireBoundKey(code.dpopJkt, request.dpop);
    if (code.usedAt !== null) return replayed(ctx, code);
    if (code.expiresAt <= now) throw invalidGrant("the authorization code has expired");

    const user = await ctx.storage.users.get(code.userId);
    if (!user || user.disabled) throw invalidGrant("the user is disabled or deleted");
    const session = await ctx.storage.sessions.get(code.idpSessionId);
    if (!session || session.revokedAt !== null) throw invalidGrant("the session has ended");

    // The grant is written before the code is spent, and the code records it in the same write
    // that spends it: a replay racing this exchange then always finds a grant that exists to revoke.
    let grant: { id: string; refreshToken: string } | null = null;
    if (code.scopes.includes("offline_access")) {
      const id = randomId();
      const rt = newRefreshToken(id);
      await ctx.storage.offlineGrants.create({
        id, clientId: client.client_id, userId: user.id, idpSessionId: code.idpSessionId, scopes: code.scopes,
        amr: code.amr, authenticatedAt: code.authenticatedAt, tokenHash: rt.hash, createdAt: now, lastAccessedAt: now,
        expiresAt: now + client.refresh_token_lifetime_seconds, ip: request.client.ip, userAgent: request.client.userAgent.slice(0, 512), revokedAt: null,
        previousTokenHash: null, rotatedAt: null, rotationSalt: null, dpopJkt: request.dpop?.jkt ?? null,
      });
      grant = { id, refreshToken: rt.token };
    }
    const result = await ctx.storage.codes.consume(codeHash, { at: now, issuedGrantId: grant?.id ?? null });
    if (result.kind !== "ok") {
      // Lost the race: the grant written above was never handed out; end it quietly.
      if (grant) await revokeGrant(ctx, grant.id);
      if (result.kind === "reused") return replayed(ctx, result.code);
      throw invalidGrant("the authorization code is invalid");
    }
    const sessionRef: SessionRef = grant ? { kind: "offline_grant", id: grant.id } : { kind: "idp_session", id: code.idpSessionId };
    const deviceSecret = grant ? await deviceSecretForNewGrant(ctx, grant.id, code.scopes) : {};
    return issueTokens(ctx, client, {
      user, clientId: client.client_id, scopes: code.scopes, amr: code.amr, authenticatedAt: code.authenticatedAt, session: sessionRef,
    }, { refreshToken: grant?.refreshToken, nonce: code.nonce, dpopJkt: request.dpop?.jkt, ...deviceSecret });
  },
};
