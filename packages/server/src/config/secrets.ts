// The secrets file, shaped like Authgear's authgear.secrets.yaml, so secrets can live apart from
// the config (another file mode, another store). Only the OAuth provider credentials are read:
//   secrets:
//     - key: sso.oauth.client
//       data:
//         items:
//           - alias: google
//             client_secret: "…"
// A secret in the secrets file wins over one in the config.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

export const OAUTH_CLIENT_SECRETS_KEY = "sso.oauth.client";

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** The client secrets by alias in a parsed secrets file; throws with a path on a malformed one. */
export function oauthClientSecrets(secrets: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (secrets === null || secrets === undefined) return out;
  if (!isObject(secrets) || !Array.isArray(secrets.secrets)) throw new Error("secrets: must be a list of {key, data}");
  secrets.secrets.forEach((entry: unknown, i) => {
    if (!isObject(entry) || entry.key !== OAUTH_CLIENT_SECRETS_KEY) return;
    const items = isObject(entry.data) ? entry.data.items : undefined;
    if (!Array.isArray(items)) throw new Error(`secrets[${i}].data.items: must be a list of {alias, client_secret}`);
    items.forEach((item: unknown, j) => {
      if (!isObject(item) || typeof item.alias !== "string" || typeof item.client_secret !== "string") {
        throw new Error(`secrets[${i}].data.items[${j}]: needs alias and client_secret strings`);
      }
      out.set(item.alias, item.client_secret);
    });
  });
  return out;
}

/** Puts each provider's client secret from the secrets file into the raw (unparsed) config. */
export function mergeSecrets(rawConfig: unknown, secrets: Map<string, string>): unknown {
  if (secrets.size === 0 || !isObject(rawConfig)) return rawConfig;
  const identity = isObject(rawConfig.identity) ? rawConfig.identity : null;
  const oauth = identity && isObject(identity.oauth) ? identity.oauth : null;
  if (!oauth || !Array.isArray(oauth.providers)) return rawConfig;
  const providers = oauth.providers.map((p: unknown) =>
    isObject(p) && typeof p.alias === "string" && secrets.has(p.alias) ? { ...p, client_secret: secrets.get(p.alias) } : p);
  return { ...rawConfig, identity: { ...identity, oauth: { ...oauth, providers } } };
}

export function readSecretsFile(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`cannot read secrets file ${path}: ${(err as Error).message}`);
  }
  try {
    return oauthClientSecrets(parseYaml(text));
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}
