// Authorization-request state: a pending flow (waiting for the user to sign in) and the code
// it ends in (RFC 6749 §4.1.2).

export interface AuthorizationCode {
  codeHash: string;
  clientId: string;
  userId: string;
  idpSessionId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  authenticatedAt: number;
  amr: string[];
  createdAt: number;
  expiresAt: number;
  /** Set once the code has been exchanged: what that exchange issued (RFC 6749 §4.1.2). */
  usedAt: number | null;
  issuedGrantId: string | null;
  /** `dpop_jkt` of the authorization request (RFC 9449 §10): the code is spent only with a proof by that key. */
  dpopJkt?: string | null;
}

/** A pending authorization request, waiting for the user to sign in. */
export interface AuthFlow {
  id: string;
  clientId: string;
  params: Record<string, string>;
  createdAt: number;
  expiresAt: number;
}
