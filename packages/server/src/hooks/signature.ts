// x-authgear-body-signature: hex HMAC-SHA256 of the exact body bytes (Authgear's pkg/lib/hook/hook_web.go).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-authgear-body-signature";

export function signBody(secret: string, body: string | Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Constant-time check of a received signature (what a receiver does; used by tests and the docs' example). */
export function verifyBody(secret: string, body: string | Buffer, signature: string): boolean {
  const expected = Buffer.from(signBody(secret, body), "hex");
  const got = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
  return got.length === expected.length && timingSafeEqual(got, expected);
}
