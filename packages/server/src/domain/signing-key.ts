// A key that signs ID and access tokens, with its rotation history.

export interface SigningKey {
  kid: string;
  privateJwk: string;
  createdAt: number;
  /** After this, the key no longer signs; it stays published until retiredAt. */
  rotatedAt: number | null;
  retiredAt: number | null;
}
