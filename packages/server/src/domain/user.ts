// A user account: who signs in. Storage ports and features share this shape.

export interface User {
  id: string;
  email: string;
  isVerified: boolean;
  isAnonymous: boolean;
  disabled: boolean;
  disabledReason: string | null;
  /** Effective roles (direct and through groups), kept by the storage layer with every role change. */
  roles: string[];
  /** OpenID standard claims set on the user (name, birthdate, address…); see attributes/standard.ts. */
  standardAttributes: Record<string, unknown>;
  /** Custom attributes keyed by their config id (as Authgear stores them); see attributes/custom.ts. */
  customAttributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}
