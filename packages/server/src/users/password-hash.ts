// argon2id with the OWASP Password Storage Cheat Sheet's parameters (m=19 MiB, t=2, p=1) by default.
// Hashes imported from Authgear (import/authgear/) verify as they are — `$bcrypt-sha512$<bcrypt of the
// password's SHA-512>` (what Authgear writes) and plain bcrypt `$2a$`/`$2b$`/`$2y$` (what it accepts
// on import) — and needsRehash() says they should be replaced by argon2id once the password is known.
import { hash, verify, Algorithm } from "@node-rs/argon2";
import { createHash } from "node:crypto";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** True for a hash in a format other than argon2id (an imported one): re-hash after a successful verify. */
  needsRehash(hash: string): boolean;
  /** Burns the same time as a real verify, for unknown users, so timing does not reveal them. */
  verifyDummy(password: string): Promise<void>;
}

const BCRYPT_SHA512 = "$bcrypt-sha512$";
// A bcrypt hash: version, two-digit cost, 22 characters of salt and 31 of digest.
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** Authgear's formats (pkg/util/password): bcrypt over the raw bytes (Go) — SHA-512's digest, or the password itself. */
async function verifyAuthgear(stored: string, password: string): Promise<boolean> {
  // Loaded on first use: only imported users' first sign-ins need it, and start-up should not pay for it.
  const { verify: bcryptVerify } = await import("@node-rs/bcrypt");
  if (stored.startsWith(BCRYPT_SHA512)) {
    const inner = stored.slice(BCRYPT_SHA512.length);
    return BCRYPT.test(inner) && bcryptVerify(createHash("sha512").update(password, "utf8").digest(), inner);
  }
  return BCRYPT.test(stored) && bcryptVerify(Buffer.from(password, "utf8"), stored);
}

export function isSupportedPasswordHash(stored: string): boolean {
  return stored.startsWith("$argon2") || BCRYPT.test(stored) || (stored.startsWith(BCRYPT_SHA512) && BCRYPT.test(stored.slice(BCRYPT_SHA512.length)));
}

export function createPasswordHasher(options: { memoryKib: number; iterations: number; parallelism: number }): PasswordHasher {
  const params = { algorithm: Algorithm.Argon2id, memoryCost: options.memoryKib, timeCost: options.iterations, parallelism: options.parallelism };
  let dummy: Promise<string> | null = null;
  return {
    hash: (password) => hash(password, params),
    async verify(stored, password) {
      try {
        if (!stored.startsWith("$argon2")) return await verifyAuthgear(stored, password);
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    needsRehash: (stored) => !stored.startsWith("$argon2id$"),
    async verifyDummy(password) {
      dummy ??= hash("gatehouse-dummy-password", params);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
