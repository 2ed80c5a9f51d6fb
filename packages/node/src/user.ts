// Who is calling, in the shape every part of the SDK hands back: a verified access token, a
// resolver answer and a cross-domain session all reduce to this.

export interface GatehouseUser {
  userId: string;
  isAnonymous: boolean;
  isVerified: boolean;
  canReauthenticate: boolean;
  roles: string[];
  /** Authentication methods of the session (RFC 8176 values such as `pwd`, `otp`). */
  amr: string[];
  /** When the user last authenticated; null when the credential does not say. */
  authenticatedAt: Date | null;
}
