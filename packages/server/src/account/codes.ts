// One-time codes people type: 6 digits from a CSPRNG, stored as SHA-256 only.
import { randomInt } from "node:crypto";

export const CODE_PATTERN = /^[0-9]{6}$/;
/** Wrong guesses a code survives (Authgear: "5 attempts per target"); then it is dead. */
export const MAX_CODE_FAILURES = 5;

export function newNumericCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** People paste codes with spaces ("123 456"): ignore whitespace, nothing else. */
export function cleanCode(input: string): string {
  return input.replace(/\s+/g, "");
}
