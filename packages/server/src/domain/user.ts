// A user account: who signs in. Storage ports and features share this shape.

export interface User {
  id: string;
  /** The primary email: derived from the user's email login IDs; null if they have none (phone or username only). */
  email: string | null;
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

/**
 * What pages show for the account and what per-account lockouts key on when no login ID was typed:
 * the primary email, else the user id (a phone- or username-only user has no email).
 */
export function accountName(user: Pick<User, "id" | "email">): string {
  return user.email ?? user.id;
}

/** The user with an email, or null: email verification, reset by email and emailed notices need one. */
export function withEmail<U extends Pick<User, "email">>(user: U): (U & { email: string }) | null {
  return user.email === null ? null : (user as U & { email: string });
}
