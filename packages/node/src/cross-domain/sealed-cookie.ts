// Cookie values the browser can carry but neither read nor forge: AES-256-GCM with a key derived
// from the app's secret by HKDF-SHA256 (RFC 5869). The cookie name is bound in as associated data,
// so one sealed cookie cannot be replayed as another. Several secrets allow rotation: the first
// seals, all of them open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;   // NIST SP 800-38D §8.2: 96-bit random IVs
const TAG_BYTES = 16;

export interface Sealer {
  seal(purpose: string, value: unknown, expiresAtMs: number): string;
  /** The value, or null if the cookie is forged, damaged, sealed for another purpose, or expired. */
  unseal<T>(purpose: string, sealed: string): T | null;
}

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "gatehouse-node sealed cookie", "aes-256-gcm key v1", 32));
}

export function createSealer(secrets: string | string[], now: () => number): Sealer {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  if (list.length === 0 || list.some((s) => typeof s !== "string" || s.length < 32)) {
    throw new TypeError("cookieSecret must be at least 32 characters (use e.g. `openssl rand -base64 32`)");
  }
  const keys = list.map(deriveKey);

  return {
    seal(purpose, value, expiresAtMs) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", keys[0], iv);
      cipher.setAAD(Buffer.from(`${VERSION}.${purpose}`));
      const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, e: expiresAtMs }), "utf8"), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
    },
    unseal<T>(purpose: string, sealed: string): T | null {
      if (!sealed.startsWith(`${VERSION}.`) || sealed.length > 8192) return null;
      const raw = Buffer.from(sealed.slice(VERSION.length + 1), "base64url");
      if (raw.length < IV_BYTES + TAG_BYTES + 1) return null;
      for (const key of keys) {
        try {
          const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
          decipher.setAAD(Buffer.from(`${VERSION}.${purpose}`));
          decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
          const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
          const { v, e } = JSON.parse(text) as { v: T; e: number };
          return typeof e === "number" && e > now() ? v : null;
        } catch {
          // Wrong key (rotation) or tampered: try the next key.
        }
      }
      return null;
    },
  };
}
