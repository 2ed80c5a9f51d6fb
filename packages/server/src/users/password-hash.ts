// argon2id with the OWASP Password Storage Cheat Sheet's parameters (m=19 MiB, t=2, p=1) by default.
import { hash, verify, Algorithm } from "@node-rs/argon2";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Burns the same time as a real verify, for unknown users, so timing does not reveal them. */
  verifyDummy(password: string): Promise<void>;
}

export function createPasswordHasher(options: { memoryKib: number; iterations: number; parallelism: number }): PasswordHasher {
  const params = { algorithm: Algorithm.Argon2id, memoryCost: options.memoryKib, timeCost: options.iterations, parallelism: options.parallelism };
  let dummy: Promise<string> | null = null;
  return {
    hash: (password) => hash(password, params),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    async verifyDummy(password) {
      dummy ??= hash("gatehouse-dummy-password", params);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
