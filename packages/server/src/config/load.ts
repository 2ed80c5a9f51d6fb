import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { configSchema, type Config } from "./schema.ts";
import { unknownKeys } from "./unknown-keys.ts";
import { mergeSecrets, readSecretsFile } from "./secrets.ts";
import { mergeAdminApiSecrets } from "./admin-api-secrets.ts";
import { readSmsSecrets } from "./sms-secrets.ts";
import { mergeWebhookSecret } from "./hook-secret.ts";

import { ConfigError } from "./errors.ts";

// Kept here too: callers import it with the loader.
export { ConfigError };

/** Validates a parsed config object; errors name the path, e.g. `oauth.clients[1].redirect_uris[0]: …`. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw ?? {});
  // Unknown keys first: a misspelt field usually explains the other errors (a required value "missing").
  const issues = [...unknownKeys(configSchema, raw), ...(result.success ? [] : result.error.issues)];
  if (issues.length === 0 && result.success) return result.data;
  const lines = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  throw new ConfigError(`invalid config:\n  ${lines.join("\n  ")}`);
}

/** Reads the config, and the secrets file (authgear.secrets.yaml shape) when one is named. */
export function loadConfigFile(path: string, options: { secretsFile?: string } = {}): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid YAML: ${(err as Error).message}`);
  }
  if (options.secretsFile) {
    try {
      raw = mergeSecrets(raw, readSecretsFile(options.secretsFile));
      raw = mergeAdminApiSecrets(raw, options.secretsFile);
      raw = readSmsSecrets(raw, options.secretsFile);
      raw = mergeWebhookSecret(mergeSecrets(raw, readSecretsFile(options.secretsFile)), options.secretsFile);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return parseConfig(raw);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}
