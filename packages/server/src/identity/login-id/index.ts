// Login IDs by configured key (`identity.login_id.keys`): one module per type, one entry point.
import type { Config } from "../../config/schema.ts";
import type { LoginIdKeyConfig } from "../../config/identity.ts";
import { normaliseEmail } from "./email.ts";
import { normalisePhone } from "./phone.ts";
import { normaliseUsername } from "./username.ts";
import type { Normalised } from "./result.ts";

export type { LoginIdRefusal, Normalised } from "./result.ts";

/** Checks and normalises what was typed for `key`, under the key's type and `max_length`. */
export function normaliseLoginId(config: Config, key: LoginIdKeyConfig, input: string): Normalised {
  if (input.trim().length > key.max_length) return { ok: false, reason: "too_long" };
  const types = config.identity.login_id.types;
  switch (key.type) {
    case "email":
      return normaliseEmail(input, types.email);
    case "username":
      return normaliseUsername(input, types.username);
    case "phone":
      return normalisePhone(input, config.ui.phone_input);
  }
}

export function loginIdKeys(config: Config): LoginIdKeyConfig[] {
  return config.identity.login_id.keys;
}

/**
 * The configured keys something typed into the one sign-in field may belong to, likeliest first:
 * an @ means email; a leading + or only digits and separators mean phone, else username (a name
 * of digits may be either, so both are tried); anything else is a username.
 */
export function candidateKeys(config: Config, input: string): LoginIdKeyConfig[] {
  const value = input.trim();
  const types = value.includes("@") ? ["email"] : /^\+?[0-9 ()./-]+$/.test(value) ? ["phone", "username"] : ["username"];
  return types.flatMap((t) => loginIdKeys(config).filter((k) => k.type === t));
}
