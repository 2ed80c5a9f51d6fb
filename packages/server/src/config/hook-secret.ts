// The webhook signing key from an Authgear secrets file: `key: webhook`, `data.keys[0]` an `oct` JWK.
// Authgear signs with the key's raw bytes (the JWK's `k`, base64url-decoded), which is the secret an
// Authgear receiver already holds; put into the raw config as hook.x_webhook_secret.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

export function webhookSecretFrom(secrets: unknown): string | null {
  if (!isObject(secrets) || !Array.isArray(secrets.secrets)) return null;
  const entry = secrets.secrets.find((e: unknown) => isObject(e) && e.key === "webhook") as Raw | undefined;
  if (!entry) return null;
  const keys = isObject(entry.data) ? entry.data.keys : undefined;
  const key = Array.isArray(keys) ? keys[0] : undefined;
  if (!isObject(key) || key.kty !== "oct" || typeof key.k !== "string" || !/^[A-Za-z0-9_-]+$/.test(key.k)) {
    throw new Error("secrets: the webhook entry needs data.keys[0] = {kty: oct, k: <base64url>}");
  }
  return Buffer.from(key.k, "base64url").toString("utf8");
}

/** Sets hook.x_webhook_secret in the raw config from the secrets file, if it has a webhook key. */
export function mergeWebhookSecret(rawConfig: unknown, secretsFile: string): unknown {
  const secret = webhookSecretFrom(parseYaml(readFileSync(secretsFile, "utf8")));
  if (secret === null) return rawConfig;
  const config = isObject(rawConfig) ? rawConfig : {};
  const hook = isObject(config.hook) ? config.hook : {};
  return { ...config, hook: { ...hook, x_webhook_secret: secret } };
}
