// Failures of the cross-domain flow, as data. Token-endpoint errors keep the RFC 6749 §5.2 code,
// because `invalid_grant` on refresh means "the session was revoked" and is handled, not thrown.

export type CrossDomainErrorCode =
  | "missing_transaction"    // no (or an expired) login cookie at the callback: start again
  | "state_mismatch"         // RFC 6749 §10.12: the callback is not the answer to our request
  | "issuer_mismatch"        // RFC 9207: the answer came from another authorization server
  | "authorization_failed"   // the IdP redirected back with ?error=… (e.g. access_denied)
  | "token_request_failed"   // the token endpoint refused or could not be reached
  | "invalid_id_token";      // signature, iss, aud, exp or nonce check failed

export class CrossDomainError extends Error {
  readonly code: CrossDomainErrorCode;
  /** The OAuth `error` from the IdP or token endpoint, when there was one. */
  readonly oauthError: string | null;

  constructor(code: CrossDomainErrorCode, message: string, options: { oauthError?: string | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "CrossDomainError";
    this.code = code;
    this.oauthError = options.oauthError ?? null;
  }
}

export class TokenEndpointError extends Error {
  /** The RFC 6749 §5.2 `error`, or `network_error` / `invalid_response` when there was none. */
  readonly error: string;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;

  constructor(error: string, description: string, status: number, options: { cause?: unknown } = {}) {
    super(`${error}: ${description}`, { cause: options.cause });
    this.name = "TokenEndpointError";
    this.error = error;
    this.status = status;
  }
}
