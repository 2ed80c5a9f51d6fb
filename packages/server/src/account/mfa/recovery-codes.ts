// MFA recovery codes: 10 codes of 10 Crockford base32 characters (50 bits each), shown once as
// XXXXX-XXXXX, stored as SHA-256 only, each usable once.
import { randomInt } from "node:crypto";
import type { Context } from "../../context.ts";
import { sha256 } from "../../crypto/secrets.ts";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newRecoveryCode(): string {
  let s = "";
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(0, 32)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** Crockford's reading rules: case, dashes and spaces do not matter; O is 0, I and L are 1. */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

const hashCode = (code: string): string => sha256(normalizeRecoveryCode(code));

/** Replaces the user's codes; the plain codes are returned to be shown once and never stored. */
export async function issueRecoveryCodes(ctx: Context, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await ctx.storage.recoveryCodes.replace(userId, codes.map(hashCode), ctx.now());
  return codes;
}

export async function useRecoveryCode(ctx: Context, userId: string, input: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(input);
  if (!/^[0-9A-Z]{10}$/.test(normalized)) return false;
  return ctx.storage.recoveryCodes.consume(userId, sha256(normalized), ctx.now());
}
