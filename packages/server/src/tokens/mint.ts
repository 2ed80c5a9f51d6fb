// Access tokens (RFC 9068 JWT profile, Authgear's claims) and ID tokens (OIDC Core §2). Claims and
// signing are apart so oidc.jwt.pre_create / oidc.id_token.pre_create hooks can be shown a token's
// claims before it is signed (hooks/token-hooks.ts).
import { signAllRs256, signRs256 } from "../crypto/jwt.ts";
import { randomUUID } from "node:crypto";
import type { KeyRing } from "../crypto/keys.ts";
import type { User } from "../domain/user.ts";
import { authgearUserClaims } from "./user-claims.ts";
import { encodeSid, type SessionRef } from "./sid.ts";

export const ID_TOKEN_LIFETIME_SECONDS = 300;

export interface TokenSubject {
  user: User;
  clientId: string;
  scopes: string[];
  amr: string[];
  authenticatedAt: number;
  session: SessionRef;
}

/**
 * `dpopJkt`: bind the token to that DPoP key (RFC 9449 §6.1 `cnf`). `extraClaims`: what an
 * oidc.jwt.pre_create hook added; they go first, so the claims below — who, for whom, until when,
 * bound to what — can never be overridden by one.
 */
export interface AccessTokenOptions { now: number; lifetime: number; dpopJkt?: string | null; extraClaims?: Record<string, unknown> }

export function accessTokenClaims(issuer: string, subject: TokenSubject, options: AccessTokenOptions): Record<string, unknown> {
  return {
    ...options.extraClaims,
    iss: issuer,
    aud: [issuer],
    sub: subject.user.id,
    client_id: subject.clientId,
    scope: subject.scopes.join(" "),
    iat: options.now,
    exp: options.now + options.lifetime,
    auth_time: subject.authenticatedAt,
    amr: subject.amr,
    sid: encodeSid(subject.session),
    // randomUUID draws from Node's pooled entropy: cheaper per token than randomBytes.
    jti: randomUUID(),
    ...authgearUserClaims(subject.user),
    ...(options.dpopJkt ? { cnf: { jkt: options.dpopJkt } } : {}),
  };
}

export function mintAccessToken(keys: KeyRing, issuer: string, subject: TokenSubject, options: AccessTokenOptions): string {
  const key = keys.current();
  return signRs256({ kid: key.kid, typ: "at+jwt" }, accessTokenClaims(issuer, subject, options), key.privateKey);
}

/** `profile`: the user's profile claims for this token (attributes/profile.ts profileClaims); `extraClaims` as above. */
export interface IdTokenOptions { now: number; nonce?: string | null; profile: Record<string, unknown>; extraClaims?: Record<string, unknown> }

export function idTokenClaims(issuer: string, subject: TokenSubject, options: IdTokenOptions): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    ...options.extraClaims,
    ...options.profile,
    iss: issuer,
    aud: subject.clientId,
    sub: subject.user.id,
    iat: options.now,
    exp: options.now + ID_TOKEN_LIFETIME_SECONDS,
    auth_time: subject.authenticatedAt,
    amr: subject.amr,
    sid: encodeSid(subject.session),
    ...authgearUserClaims(subject.user),
  };
  if (options.nonce) claims.nonce = options.nonce;
  return claims;
}

export function mintIdToken(keys: KeyRing, issuer: string, subject: TokenSubject, options: IdTokenOptions): string {
  const key = keys.current();
  return signRs256({ kid: key.kid }, idTokenClaims(issuer, subject, options), key.privateKey);
}

/**
 * A token response's access token and, when `id` is given, its ID token, signed back to back
 * (crypto/jwt.ts signAllRs256): the refresh grant's hot path.
 */
export function mintTokens(keys: KeyRing, issuer: string, subject: TokenSubject, access: AccessTokenOptions, id: IdTokenOptions | null): { accessToken: string; idToken?: string } {
  const key = keys.current();
  const tokens = [{ header: { kid: key.kid, typ: "at+jwt" }, payload: accessTokenClaims(issuer, subject, access) }];
  if (id) tokens.push({ header: { kid: key.kid, typ: "JWT" }, payload: idTokenClaims(issuer, subject, id) });
  const [accessToken, idToken] = signAllRs256(tokens, key.privateKey);
  return { accessToken, idToken };
}
