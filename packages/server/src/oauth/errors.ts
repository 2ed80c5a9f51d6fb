// OAuth errors as data (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1). `description` is safe to show
// the client; `cause` is for our logs only and is never sent.

export type OAuthErrorCode =
  | "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type"
  | "invalid_scope" | "access_denied" | "unsupported_response_type" | "server_error" | "temporarily_unavailable"
  | "login_required" | "consent_required" | "interaction_required" | "invalid_token" | "insufficient_scope"
  | "unsupported_token_type" | "invalid_request_uri" | "invalid_redirect_uri" | "request_not_found"
  // RFC 9449 §12.2 (DPoP)
  | "invalid_dpop_proof";

const statusByCode: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
  request_not_found: 404,
};

export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly description: string;
  readonly status: number;
  /** False when the redirect URI cannot be trusted: the error must be shown on our own page. */
  readonly redirectable: boolean;

  constructor(error: OAuthErrorCode, description: string, options: { status?: number; redirectable?: boolean; cause?: unknown } = {}) {
    super(`${error}: ${description}`, { cause: options.cause });
    this.name = "OAuthError";
    this.error = error;
    this.description = description;
    this.status = options.status ?? statusByCode[error] ?? 400;
    this.redirectable = options.redirectable ?? true;
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const invalidRequest = (description: string): OAuthError => new OAuthError("invalid_request", description);
export const invalidGrant = (description: string): OAuthError => new OAuthError("invalid_grant", description);
