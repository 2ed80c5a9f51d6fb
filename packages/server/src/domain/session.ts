// What keeps a user signed in: an IdP session (the `session` cookie) or an offline grant (a
// refresh token). Revoking either ends every token that carries its sid.

/** An IdP session: what the `session` cookie points at. */
export interface IdpSession {
  id: string;
  userId: string;
  tokenHash: string;
  amr: string[];
  authenticatedAt: number;
  createdAt: number;
  lastAccessedAt: number;
  expiresAt: number;
  ip: string;
  userAgent: string;
  revokedAt: number | null;
  /**
   * No browser holds this session: it was made by a login with SSO off (x_sso_enabled=false), whose
   * cookie only carried it to /oauth2/authorize/resume. It lives behind the app's tokens alone, so it
   * is not listed as a browser session, and ending the app's grant ends it too.
   */
  cookieless: boolean;
  /**
   * The app's offline grant this session was opened from with an app session token (the SDK's
   * settings pages), or null. It ends with that grant: logging out of the app ends it too.
   */
  parentGrantId: string | null;
}

/** An offline grant: what a refresh token `<grant id>.<secret>` points at. */
export interface OfflineGrant {
  id: string;
  clientId: string;
  userId: string;
  /** The IdP session the grant was born from (null if that is unknown). */
  idpSessionId: string | null;
  scopes: string[];
  amr: string[];
  authenticatedAt: number;
  tokenHash: string;
  createdAt: number;
  lastAccessedAt: number;
  expiresAt: number;
  ip: string;
  userAgent: string;
  revokedAt: number | null;
  /**
   * Set by rotation: the hash of the token the current one replaced, when, and the salt the
   * current secret was derived with from the replaced one (refresh-token-format.ts). A retry of
   * the replaced token within the grace window is answered with that same successor; after it,
   * the replaced token is told apart from a forgery and revokes the grant (RFC 9700 §4.14.2).
   */
  previousTokenHash: string | null;
  rotatedAt: number | null;
  rotationSalt: string | null;
  /**
   * DPoP (RFC 9449 §5): the thumbprint of the key the grant is bound to; every refresh must then
   * carry a proof signed by that key. Absent or null: not bound.
   */
  dpopJkt?: string | null;
}
