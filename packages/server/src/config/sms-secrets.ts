// The SMS provider credentials from the secrets file, where Authgear keeps them
// (authgear.secrets.yaml): key `sms.twilio` (account_sid, auth_token, message_service_sid) and
// key `sms.custom` (url, timeout; plus our signing_secret). They land in messaging.twilio and
// messaging.custom_sms_provider, winning over values in the config, and are then checked there.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

const TARGET: Record<string, "twilio" | "custom_sms_provider"> = { "sms.twilio": "twilio", "sms.custom": "custom_sms_provider" };

/** The raw config with the secrets file's SMS entries merged into `messaging`. */
export function mergeSmsSecrets(rawConfig: unknown, secrets: unknown): unknown {
  if (!isObject(secrets) || !Array.isArray(secrets.secrets)) return rawConfig;
  const found: Raw = {};
  secrets.secrets.forEach((entry: unknown, i) => {
    if (!isObject(entry) || typeof entry.key !== "string" || !TARGET[entry.key]) return;
    if (!isObject(entry.data)) throw new Error(`secrets[${i}].data: ${entry.key} needs an object of fields`);
    found[TARGET[entry.key]] = entry.data;
  });
  if (Object.keys(found).length === 0) return rawConfig;
  const config = isObject(rawConfig) ? rawConfig : {};
  const messaging = isObject(config.messaging) ? config.messaging : {};
  const merged: Raw = { ...messaging };
  for (const [k, v] of Object.entries(found)) merged[k] = { ...(isObject(messaging[k]) ? messaging[k] : {}), ...(v as Raw) };
  return { ...config, messaging: merged };
}

export function readSmsSecrets(rawConfig: unknown, path: string): unknown {
  return mergeSmsSecrets(rawConfig, parseYaml(readFileSync(path, "utf8")));
}
