// Phone login IDs in E.164, parsed and validated by libphonenumber (Google's metadata: a number
// must be a real, assignable number for its region). A number typed without + is read in the
// first region of `ui.phone_input.pinned_list`; `allowlist` limits the regions accepted.
import { createRequire } from "node:module";
import type { PhoneInputConfig } from "../../config/identity.ts";
import type { Normalised } from "./result.ts";

type Lib = typeof import("google-libphonenumber");
let lib: { m: Lib; util: InstanceType<Lib["PhoneNumberUtil"]> } | null = null;

// Loaded on first use: a deployment without phone login IDs never pays for the metadata.
function phoneLib(): NonNullable<typeof lib> {
  if (!lib) {
    const m = createRequire(import.meta.url)("google-libphonenumber") as Lib;
    lib = { m, util: m.PhoneNumberUtil.getInstance() };
  }
  return lib;
}

export function normalisePhone(input: string, options: PhoneInputConfig): Normalised {
  const original = input.trim();
  if (original === "") return { ok: false, reason: "required" };
  if (!/^\+?[0-9 ()./-]{4,40}$/.test(original)) return { ok: false, reason: "invalid_phone" };
  const { m, util } = phoneLib();
  const defaultRegion = original.startsWith("+") ? "ZZ" : (options.pinned_list[0] ?? (options.allowlist.length === 1 ? options.allowlist[0] : "ZZ"));
  let parsed;
  try {
    parsed = util.parse(original, defaultRegion);
  } catch {
    return { ok: false, reason: "invalid_phone" };
  }
  if (!util.isValidNumber(parsed)) return { ok: false, reason: "invalid_phone" };
  const region = util.getRegionCodeForNumber(parsed);
  if (options.allowlist.length > 0 && !options.allowlist.includes(region ?? "")) return { ok: false, reason: "phone_region" };
  return { ok: true, loginId: util.format(parsed, m.PhoneNumberFormat.E164), original };
}
