// Authgear's password policy (authentication.password_policy): character classes, excluded
// keywords and a zxcvbn guessability floor — plus, on by default, a list of the most common passwords.
// Returns which rules a password breaks, as data.
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import type { Config } from "../../config/schema.ts";

/** A bound on input size whatever the policy: argon2 of a megabyte is a denial of service. */
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordRule = "min_length" | "max_length" | "uppercase" | "lowercase" | "digit" | "symbol" | "excluded_keywords" | "common" | "guessable" | "history";

/** How many of the list's most common passwords are refused (NIST SP 800-63B §5.1.1.2: commonly used values). */
export const COMMON_PASSWORDS_REFUSED = 10_000;
let common10k: Set<string> | null = null;
/** The top of zxcvbn's frequency-ranked list (from leaked-password corpora, MIT licence), built on first use. */
export function isCommonPassword(password: string): boolean {
  common10k ??= new Set(common.dictionary["passwords-common"].slice(0, COMMON_PASSWORDS_REFUSED).map((p) => p.toLowerCase()));
  return common10k.has(password.toLowerCase());
}
export type PasswordPolicy = Config["authentication"]["password_policy"];

let zxcvbn: ZxcvbnFactory | null = null;
/** Built on first use: the dictionaries take a moment to load and most deployments never need them. */
function strength(password: string, userInputs: string[]): number {
  zxcvbn ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  return zxcvbn.check(password, userInputs).score;
}

/** The rules this policy enforces, in the order the sign-up page lists them. */
export function activeRules(policy: PasswordPolicy): PasswordRule[] {
  const rules: PasswordRule[] = ["min_length"];
  if (policy.uppercase_required) rules.push("uppercase");
  if (policy.lowercase_required) rules.push("lowercase");
  if (policy.digit_required) rules.push("digit");
  if (policy.symbol_required) rules.push("symbol");
  if (policy.excluded_keywords.length > 0) rules.push("excluded_keywords");
  if (policy.x_exclude_common_passwords) rules.push("common");
  if (policy.minimum_guessable_level > 0) rules.push("guessable");
  return rules;
}

export function passwordViolations(password: string, policy: PasswordPolicy, context: { email?: string } = {}): PasswordRule[] {
  const broken: PasswordRule[] = [];
  // Length in code points, so an emoji counts as one character as a person would count it.
  const length = [...password].length;
  if (length < policy.min_length) broken.push("min_length");
  if (password.length > MAX_PASSWORD_LENGTH) broken.push("max_length");
  if (policy.uppercase_required && !/\p{Lu}/u.test(password)) broken.push("uppercase");
  if (policy.lowercase_required && !/\p{Ll}/u.test(password)) broken.push("lowercase");
  if (policy.digit_required && !/\p{Nd}/u.test(password)) broken.push("digit");
  if (policy.symbol_required && !/[^\p{L}\p{N}]/u.test(password)) broken.push("symbol");
  const lower = password.toLowerCase();
  if (policy.excluded_keywords.some((k) => lower.includes(k.toLowerCase()))) broken.push("excluded_keywords");
  // A too-short password is told to be longer first; "common" is news only once it is long enough.
  if (policy.x_exclude_common_passwords && length >= policy.min_length && isCommonPassword(password)) broken.push("common");
  if (policy.minimum_guessable_level > 0 && broken.length === 0) {
    const inputs = [...policy.excluded_keywords, ...(context.email ? [context.email, context.email.split("@")[0]] : [])];
    if (strength(password, inputs) < policy.minimum_guessable_level) broken.push("guessable");
  }
  return broken;
}
