// What the public feed says about a revocation. Ids are published as SHA-256 hashes: a backend
// holding a token can hash its `sid`/`sub` and look it up, but the feed itself reveals no ids.
import { sha256 } from "../crypto/secrets.ts";
import type { RevocationEvent } from "../domain/revocation.ts";

export interface FeedEvent {
  seq: number;
  /** `sid` for a session or grant (match the token's `sid`), `sub` for a user (match `sub`). */
  claim: "sid" | "sub";
  hash: string;
  revoked_at: number;
  expires_at: number;
}

export function presentFeedEvent(e: RevocationEvent): FeedEvent {
  return { seq: e.seq, claim: e.kind === "user" ? "sub" : "sid", hash: sha256(e.id), revoked_at: e.at, expires_at: e.expiresAt };
}

/** Only revocations that can still matter go out; internal change notices never do. */
export function published(e: RevocationEvent, now: number): boolean {
  return e.kind !== "user_changed" && e.expiresAt > now;
}
