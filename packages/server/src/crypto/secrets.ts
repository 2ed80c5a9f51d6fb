import { hash, randomBytes, timingSafeEqual } from "node:crypto";

/** 256 bits of randomness, base64url: unguessable ids and secrets. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Short random ids for rows that are not secrets themselves (grant ids, session ids). */
export function randomId(): string {
  return randomBytes(16).toString("hex");
}

export function sha256(value: string): string {
  // One-shot hashing (Node ≥ 20.12): no Hash object per call; this runs on every refresh.
  return hash("sha256", value, "base64url");
}

/** Constant-time string equality; the length check leaks only the length of a hash, which is fixed. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
