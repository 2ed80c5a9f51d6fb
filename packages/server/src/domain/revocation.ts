// Revocations as every node and backend hears of them: the revocation log's events, and the
// in-process listeners told of revocations made on this node.

/** `user_changed` is not a revocation: it tells other nodes to re-read a user (roles, verification). */
export type RevocationKind = "session" | "grant" | "user" | "user_changed";

export interface RevocationEvent {
  seq: number;
  kind: RevocationKind;
  /** A session/grant id (as in the tokens' `sid`, e.g. `o.<id>`) or a user id. */
  id: string;
  at: number;
  /** After this, no token it could affect is still valid: consumers may forget it. */
  expiresAt: number;
}

/** Told of revocations made on this node, synchronously, before the revoking request returns. */
export type RevocationListener = (kind: RevocationKind, id: string) => void;
