// Access tokens (RFC 9068 JWT profile, Authgear's claims) and ID tokens (OIDC Core §2).
import { signRs256 } from "../crypto/jwt.ts";
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
 * `extraClaims`: claims an oidc.jwt.pre_create hook added (hooks/token-hooks.ts). They go first, so
 * the claims below — who, for whom, until when — can never be overridden by one.
 */
export function mintAccessToken(keys: KeyRing, issuer: string, subject: TokenSubject, options: { now: number; lifetime: number; extraClaims?: Record<string, unknown> }): string {
  const key = keys.current();
  return signRs256({ kid: key.kid, typ: "at+jwt" }, {
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
  }, key.privateKey);
}

/** `profile`: the user's profile claims for this token (attributes/profile.ts profileClaims). */
export function mintIdToken(keys: KeyRing, issuer: string, subject: TokenSubject, options: { now: number; nonce?: string | null; profile: Record<string, unknown>; extraClaims?: Record<string, unknown> }): string {
  const key = keys.current();
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
  return signRs256({ kid: key.kid }, claims, key.privateKey);
}
