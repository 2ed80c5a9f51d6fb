// Refresh tokens are `<grant id>.<secret>`: the id finds the row, only the secret's hash is stored.
// Authgear's own tokens have the same shape — `<grant UUID>.<32 letters and digits>` — and keep
// working after an import (import/authgear/): the grant is stored under its UUID without the dashes
// (32 hex digits, like ours) and its token hash as SHA-256 of the secret, as ours, re-encoded.
import { createHmac } from "node:crypto";
import { randomToken, safeEqual, sha256 } from "../../crypto/secrets.ts";
import type { OfflineGrant } from "../../storage/ports.ts";

export function newRefreshToken(grantId: string): { token: string; hash: string } {
  const secret = randomToken();
  return { token: `${grantId}.${secret}`, hash: sha256(secret) };
}

const AUTHGEAR_REFRESH_TOKEN = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\.([A-Za-z0-9]{32})$/;

export function parseRefreshToken(token: string): { grantId: string; secret: string } | null {
  const m = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (m) return { grantId: m[1], secret: m[2] };
  const a = AUTHGEAR_REFRESH_TOKEN.exec(token);
  return a ? { grantId: a[1] + a[2] + a[3] + a[4] + a[5], secret: a[6] } : null;
}

/** A fresh random salt for one rotation; stored with the grant, useless without the replaced secret. */
export function newRotationSalt(): string {
  return randomToken();
}

/**
 * The token a rotation replaces `secret` with: HMAC keyed by the replaced secret over a random
 * salt stored in the row. Every request presenting the replaced token within the grace window
 * derives the same successor, so concurrent refreshes converge on one live token, and nothing
 * stored in the database alone yields it (only the secret's hash is stored, never the secret).
 */
export function successorRefreshToken(grantId: string, secret: string, salt: string): { token: string; hash: string } {
  const next = createHmac("sha256", secret).update(`${grantId}.${salt}`).digest("base64url");
  return { token: `${grantId}.${next}`, hash: sha256(next) };
}

/**
 * Which of the grant's tokens a secret hash is: its current one, the one the last rotation
 * replaced, or neither (a guess or a forgery). Both are compared, so timing says nothing.
 */
export function matchRefreshToken(grant: OfflineGrant, secretHash: string): "current" | "previous" | null {
  const current = safeEqual(grant.tokenHash, secretHash);
  const previous = grant.previousTokenHash !== null && safeEqual(grant.previousTokenHash, secretHash);
  return current ? "current" : previous ? "previous" : null;
}
