// The secrets file's `admin-api.auth` entry (Authgear's AdminAPIAuthKey: `data.keys`, a JWK set that
// holds the private key). Verification needs only the public halves, so only those reach the config:
//   secrets:
//     - key: admin-api.auth
//       data:
//         keys:
//           - { kid: "…", kty: RSA, alg: RS256, n: "…", e: "AQAB", d: "…", p: "…", … }
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { PRIVATE_JWK_MEMBERS } from "./admin-api.ts";

export const ADMIN_API_SECRETS_KEY = "admin-api.auth";

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** The public halves of the admin-API keys in a parsed secrets file; throws with a path on a malformed entry. */
export function adminApiPublicKeys(secrets: unknown): Raw[] {
  if (!isObject(secrets) || !Array.isArray(secrets.secrets)) return [];
  const out: Raw[] = [];
  secrets.secrets.forEach((entry: unknown, i) => {
    if (!isObject(entry) || entry.key !== ADMIN_API_SECRETS_KEY) return;
    const keys = isObject(entry.data) ? entry.data.keys : undefined;
    if (!Array.isArray(keys)) throw new Error(`secrets[${i}].data.keys: must be a JWK set (a list of keys)`);
    keys.forEach((key: unknown, j) => {
      if (!isObject(key) || typeof key.kid !== "string" || typeof key.kty !== "string") throw new Error(`secrets[${i}].data.keys[${j}]: a JWK with kid and kty`);
      // Authgear's own extra members (created_at) and the private ones stay behind.
      const pub: Raw = {};
      for (const [name, value] of Object.entries(key)) {
        if (!(PRIVATE_JWK_MEMBERS as readonly string[]).includes(name) && name !== "created_at") pub[name] = value;
      }
      out.push(pub);
    });
  });
  return out;
}

/** Adds the secrets file's admin-API public keys to the raw config's `admin_api.public_keys`. */
export function mergeAdminApiSecrets(rawConfig: unknown, secretsFile: string): unknown {
  const keys = adminApiPublicKeys(parseYaml(readFileSync(secretsFile, "utf8")));
  if (keys.length === 0 || !isObject(rawConfig)) return rawConfig;
  const adminApi = isObject(rawConfig.admin_api) ? rawConfig.admin_api : {};
  const given = Array.isArray(adminApi.public_keys) ? adminApi.public_keys : [];
  return { ...rawConfig, admin_api: { ...adminApi, public_keys: [...given, ...keys] } };
}
