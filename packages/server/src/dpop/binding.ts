// Key binding (RFC 9449 §5, §6, §10): what a bound code, refresh token or access token demands of
// the proof presented with it. Every grant and resource endpoint asks these, and nothing else.
import { safeEqual } from "../crypto/secrets.ts";
import { OAuthError } from "../oauth/errors.ts";
import type { Params } from "../oauth/params.ts";
import { invalidProof, type VerifiedProof } from "./proof.ts";

/** An RFC 7638 SHA-256 thumbprint, base64url without padding. */
const JKT = /^[A-Za-z0-9_-]{43}$/;

/**
 * A code, grant or token bound to `boundJkt` is usable only with a proof by that key (§5: "refuse
 * that refresh token without a proof from the same key"). Unbound ones (null) need nothing, so
 * clients without DPoP keep working. Authgear answers `invalid_dpop_proof` here, as we do; the
 * Android SDK then clears its session as for `invalid_grant` (AuthgearCore.kt L673).
 */
export function requireBoundKey(boundJkt: string | null | undefined, proof: VerifiedProof | null | undefined): void {
  if (boundJkt === null || boundJkt === undefined) return;
  if (!proof) throw invalidProof("this token is bound to a DPoP key: a DPoP proof by that key is required");
  if (!safeEqual(proof.jkt, boundJkt)) throw invalidProof("the DPoP proof is signed by another key than the one this token is bound to");
}

/** `dpop_jkt` on the authorization request (§10): the thumbprint the code will be bound to. */
export function checkDpopJkt(p: Params): string | null {
  const value = p.dpop_jkt;
  if (value === undefined || value === "") return null;
  if (!JKT.test(value)) throw new OAuthError("invalid_request", "dpop_jkt must be a base64url SHA-256 JWK thumbprint");
  return value;
}

/**
 * Does an access token's `cnf` (§6.1) accept this proof? Tokens without `cnf` accept anything; the
 * fast path only reads the claim. A `cnf` of another shape is refused, never ignored.
 */
export function tokenBindingHolds(cnf: unknown, proofJkt: string | null | undefined): boolean {
  if (cnf === undefined) return true;
  const jkt = typeof cnf === "object" && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
  return typeof jkt === "string" && typeof proofJkt === "string" && safeEqual(jkt, proofJkt);
}
