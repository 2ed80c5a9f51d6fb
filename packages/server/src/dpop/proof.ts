// DPoP proof verification (RFC 9449 §4.3), the one place every endpoint checks a `DPoP` header.
// A proof is a JWT the client signs with its own key, carried inline as `jwk`: it proves the
// request comes from the holder of that key, for this method and URI, now, and only once.
//
// Where Authgear and the RFC differ, the SDKs decide (docs/dpop.md): the native SDKs sign with
// RS256 (Android, React Native) or ES256 (iOS), never send `ath` or `nonce`, and put the full
// request URL (query included) in `htu`; the RFC says to ignore query and fragment, so we do.
import { createHash } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify, type JWK } from "jose";
import { OAuthError } from "../oauth/errors.ts";
import { safeEqual } from "../crypto/secrets.ts";
import type { ReplayCache } from "./replay.ts";

/** Asymmetric algorithms only (§4.3 point 5): never `none`, never a MAC (HS*) keyed by the proof itself. */
export const DPOP_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"] as const;

/** How old a proof may be (§11.1). The SDKs' own `exp` is iat+60 (iOS, Android) or iat+300 (React Native). */
export const PROOF_MAX_AGE_SECONDS = 300;
/** How far ahead of our clock a device's clock may run. */
export const PROOF_CLOCK_SKEW_SECONDS = 60;

const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 128;
// Members only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4): a proof carrying
// one has leaked its own key, and a symmetric key proves nothing.
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const KEY_TYPES = new Set(["RSA", "EC", "OKP"]);

/** The request a proof must match: the method and the absolute URI without query or fragment. */
export interface ProofTarget {
  method: string;
  uri: string;
}

export interface VerifiedProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key, base64url: what tokens are bound to. */
  jkt: string;
  jti: string;
  iat: number;
}

export interface ProofOptions {
  now: number;
  replay: ReplayCache;
  /** The access token presented with the proof: `ath` must then be its hash when present (§4.3 point 11). */
  accessToken?: string;
  /** `ath` must be present (the `DPoP` authorization scheme, §7.1); the Authgear SDKs send none. */
  requireAth?: boolean;
}

export const invalidProof = (description: string): OAuthError => new OAuthError("invalid_dpop_proof", description, { redirectable: false });

/** base64url(SHA-256(access token)): the `ath` claim (§4.2). */
export function accessTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** The URI a proof's `htu` is compared on: parsed and normalised by WHATWG URL, query and fragment dropped. */
export function normalizeHtu(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  url.search = "";
  url.hash = "";
  return url.href;
}

function checkHeader(proof: string): void {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw invalidProof("the DPoP proof is not a JWT");
  }
  if (header.typ !== "dpop+jwt") throw invalidProof("the DPoP proof's typ is not dpop+jwt");
  if (typeof header.alg !== "string" || !(DPOP_ALGORITHMS as readonly string[]).includes(header.alg)) {
    throw invalidProof("the DPoP proof's alg is not an accepted asymmetric algorithm");
  }
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== "object" || Array.isArray(jwk)) throw invalidProof("the DPoP proof has no jwk");
  if (typeof jwk.kty !== "string" || !KEY_TYPES.has(jwk.kty)) throw invalidProof("the DPoP proof's jwk is not an asymmetric public key");
  if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw invalidProof("the DPoP proof's jwk holds private key material");
}

/**
 * Verifies a `DPoP` header value for a request: structure, signature by the embedded key, `htm`,
 * `htu`, `iat` window, `ath`, and (last, so a bad proof burns nothing) single use of `jti`.
 * Throws `invalid_dpop_proof`; a replay store that cannot answer throws StorageUnavailableError.
 */
export async function verifyProof(proof: string, target: ProofTarget, options: ProofOptions): Promise<VerifiedProof> {
  // Several DPoP header fields arrive joined by ", " (§4.3 point 1: exactly one).
  if (proof.length === 0 || proof.length > MAX_PROOF_LENGTH || proof.includes(",")) throw invalidProof("expected exactly one DPoP proof");
  checkHeader(proof);
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      algorithms: [...DPOP_ALGORITHMS],
      typ: "dpop+jwt",
      currentDate: new Date(options.now * 1000),
      clockTolerance: PROOF_CLOCK_SKEW_SECONDS,
    });
    payload = verified.payload as Record<string, unknown>;
    jwk = verified.protectedHeader.jwk as JWK;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_JWT_EXPIRED") throw invalidProof("the DPoP proof has expired");
    throw invalidProof("the DPoP proof's signature or claims are invalid");
  }

  const { jti, htm, htu, iat, ath } = payload;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw invalidProof("the DPoP proof's jti is missing or malformed");
  if (htm !== target.method) throw invalidProof("htm in the DPoP proof does not match the request method");
  if (typeof htu !== "string" || normalizeHtu(htu) !== target.uri) throw invalidProof("htu in the DPoP proof does not match the request URI");
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw invalidProof("the DPoP proof has no iat");
  if (iat < options.now - PROOF_MAX_AGE_SECONDS) throw invalidProof("the DPoP proof is too old");
  if (iat > options.now + PROOF_CLOCK_SKEW_SECONDS) throw invalidProof("the DPoP proof is issued in the future");
  if (ath !== undefined || options.requireAth) {
    if (options.accessToken === undefined || typeof ath !== "string" || !safeEqual(ath, accessTokenHash(options.accessToken))) {
      throw invalidProof("ath in the DPoP proof does not match the access token");
    }
  }

  const jkt = await calculateJwkThumbprint(jwk, "sha256");
  // Remembered until the proof could no longer pass the iat check anyway.
  const expiresAt = Math.floor(iat) + PROOF_MAX_AGE_SECONDS + PROOF_CLOCK_SKEW_SECONDS;
  if (!(await options.replay.firstUse(`${jkt}:${jti}`, expiresAt, options.now))) throw invalidProof("the DPoP proof has already been used");
  return { jkt, jti, iat };
}
