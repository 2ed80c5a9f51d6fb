// Email login IDs, normalised as Authgear normalises them: NFKC, the domain lowercased, the local
// part lowercased unless `case_sensitive`, dots dropped from it with `ignore_dot_sign`; a + in it
// refused with `block_plus_sign`.
import type { LoginIdConfig } from "../../config/identity.ts";
import { isCleanText } from "../../input/text.ts";
import type { Normalised } from "./result.ts";

// A practical email check (RFC 5321 length limits); verification proves the address later.
const EMAIL = /^[^\s@<>()"',;:\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The local part may be any Unicode (RFC 6531) but no controls, direction marks or lone surrogates. */
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email) && isCleanText(email, "identifier");
}

export function normaliseEmail(input: string, options: LoginIdConfig["types"]["email"]): Normalised {
  const original = input.trim();
  if (original === "") return { ok: false, reason: "required" };
  if (!isValidEmail(original)) return { ok: false, reason: "invalid_email" };
  const folded = original.normalize("NFKC");
  const at = folded.lastIndexOf("@");
  let local = folded.slice(0, at);
  const domain = folded.slice(at + 1).toLowerCase();
  if (options.block_plus_sign && local.includes("+")) return { ok: false, reason: "plus_sign" };
  if (!options.case_sensitive) local = local.toLowerCase();
  if (options.ignore_dot_sign) local = local.replaceAll(".", "");
  return { ok: true, loginId: `${local}@${domain}`, original };
}
