// Registered clients, from config. Public clients (no secret) must use PKCE; confidential ones
// authenticate at the token endpoint (RFC 6749 §2.3).
import type { ClientConfig } from "../config/schema.ts";
import { safeEqual, sha256 } from "../crypto/secrets.ts";

export interface Client extends ClientConfig {
  isPublic: boolean;
  /** SHA-256 of each secret, so comparison is constant-time over fixed-length values. */
  secretHashes: string[];
}

export interface ClientRegistry {
  get(clientId: string): Client | undefined;
  all(): Client[];
  /** Origins of registered redirect URIs: the only ones CORS answers with credentials. */
  isAllowedOrigin(origin: string): boolean;
  /** Applies operator-set token settings (admin API) over the config file's values. */
  applySettings(clientId: string, settings: Partial<ClientConfig>): Client | undefined;
}

export function toClient(config: ClientConfig): Client {
  const secrets = [...(config.client_secrets ?? []), ...(config.client_secret ? [config.client_secret] : [])];
  return { ...config, isPublic: secrets.length === 0, secretHashes: secrets.map(sha256) };
}

export function createClientRegistry(configs: ClientConfig[]): ClientRegistry {
  const byId = new Map(configs.map((c) => [c.client_id, toClient(c)]));
  const origins = new Set<string>();
  for (const c of byId.values()) {
    for (const uri of [...c.redirect_uris, ...c.post_logout_redirect_uris]) {
      const origin = new URL(uri).origin;
      if (origin !== "null") origins.add(origin);
    }
  }
  return {
    get: (id) => byId.get(id),
    all: () => [...byId.values()],
    isAllowedOrigin: (origin) => origins.has(origin),
    applySettings(id, settings) {
      const current = byId.get(id);
      if (!current) return undefined;
      const next = { ...current, ...settings };
      byId.set(id, next);
      return next;
    },
  };
}

export function clientSecretMatches(client: Client, secret: string): boolean {
  const hash = sha256(secret);
  // Compare against every secret so the time taken does not say which one (or none) matched.
  let ok = false;
  for (const h of client.secretHashes) ok = safeEqual(h, hash) || ok;
  return ok;
}
