// Why an access token was refused, as data: a stable `code` to branch on and a message for logs.
import { errors } from "jose";

export type TokenVerificationErrorCode =
  | "malformed"              // not a compact JWS/JWT, or a claim has the wrong type
  | "invalid_signature"      // signature does not verify with the issuer's key
  | "unknown_key"            // no key in the issuer's JWKS matches the token's kid
  | "unsupported_algorithm"  // anything but RS256 (no `none`, no HS256 key confusion)
  | "wrong_type"             // header typ is not at+jwt (e.g. an ID token)
  | "wrong_issuer"
  | "wrong_audience"
  | "expired"
  | "not_yet_valid"          // nbf in the future beyond the clock tolerance
  | "missing_claim"
  | "revoked"                // the isRevoked hook said so
  | "jwks_unavailable";      // the issuer's JWKS could not be fetched

export class TokenVerificationError extends Error {
  readonly code: TokenVerificationErrorCode;

  constructor(code: TokenVerificationErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "TokenVerificationError";
    this.code = code;
  }
}

const byClaim: Record<string, TokenVerificationErrorCode> = {
  iss: "wrong_issuer",
  aud: "wrong_audience",
  typ: "wrong_type",
  nbf: "not_yet_valid",
  iat: "not_yet_valid",
};

/** Maps jose's error classes onto our codes; anything unexpected is a JWKS (network) failure. */
export function fromJoseError(err: unknown): TokenVerificationError {
  if (err instanceof TokenVerificationError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof errors.JWTExpired) return new TokenVerificationError("expired", "the access token has expired", { cause: err });
  if (err instanceof errors.JWTClaimValidationFailed) {
    const code = err.reason === "missing" ? "missing_claim" : err.reason === "invalid" ? "malformed" : byClaim[err.claim] ?? "malformed";
    return new TokenVerificationError(code, message, { cause: err });
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return new TokenVerificationError("invalid_signature", "signature verification failed", { cause: err });
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return new TokenVerificationError("unknown_key", message, { cause: err });
  if (err instanceof errors.JOSEAlgNotAllowed) return new TokenVerificationError("unsupported_algorithm", message, { cause: err });
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) {
    return new TokenVerificationError("malformed", message, { cause: err });
  }
  return new TokenVerificationError("jwks_unavailable", `could not load the issuer's keys: ${message}`, { cause: err });
}
