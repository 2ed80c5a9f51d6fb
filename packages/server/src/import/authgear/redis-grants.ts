// Authgear's offline grants — what its refresh tokens point at — from its Redis: JSON under
// `app:<app id>:offline-grant:<grant id>` (pkg/lib/oauth/redis), expiring with the key's TTL (the record
// has no expiry of its own). Each becomes a Gatehouse offline grant under the same id without its
// dashes; the token hash (SHA-256 of the secret, hex) is re-encoded as Gatehouse stores it (base64url),
// so the refresh token the app holds, `<grant id>.<secret>`, keeps working (oauth/token/refresh-token-format.ts).
import { Redis } from "ioredis";
import type { OfflineGrant } from "../../domain/session.ts";
import { epoch } from "./database.ts";
import type { Tally } from "./tally.ts";

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX_HASH = /^[0-9a-f]{64}$/;

const rehash = (hex: unknown): string | null => (typeof hex === "string" && HEX_HASH.test(hex) ? Buffer.from(hex, "hex").toString("base64url") : null);

/** One Authgear offline grant (its JSON and the key's remaining TTL in ms) as a Gatehouse grant, or why not. */
export function mapGrant(json: Json, ttlMs: number, now: number, tally: Tally): OfflineGrant | { skip: string } {
  const id = String(json.id ?? "");
  if (!UUID.test(id)) return { skip: "the grant id is not a UUID" };
  if (ttlMs === -2) return { skip: "the grant expired while being read" };
  const attrs = asObject(json.attrs);
  const tokens = Array.isArray(json.refresh_tokens) ? json.refresh_tokens.map(asObject) : [];
  // Grants made before Authgear kept a list hold their one token at the top level.
  const token = tokens[0] ?? (json.token_hash ? { token_hash: json.token_hash, client_id: json.client_id, scopes: json.scopes, created_at: json.created_at } : null);
  if (!token) return { skip: "the grant holds no refresh token" };
  if (typeof token.dpop_jkt === "string" && token.dpop_jkt !== "") return { skip: "the refresh token is bound to a DPoP key" };
  if (tokens.length > 1) tally.note("second and later refresh tokens of one grant (several apps sharing a sign-in): only the first was imported");
  if (json.app2app_device_key_jwk_json || json.device_secret_hash) tally.note("app2app device keys and device secrets of grants");
  const tokenHash = rehash(token.rotated_token_hash ?? token.token_hash);
  if (!tokenHash) return { skip: "the token hash is not SHA-256 hex" };
  const access = asObject(json.access_info);
  const last = asObject(access.last_access);
  const created = epoch(token.created_at) ?? epoch(json.created_at) ?? now;
  const amr = asObject(attrs.claims).amr;
  const tokenExpiry = epoch(token.expire_at);
  const expiresAt = ttlMs > 0 ? now + Math.ceil(ttlMs / 1000) : (tokenExpiry ?? null);
  if (expiresAt === null || expiresAt <= now) return { skip: "the grant has no expiry or has expired" };
  return {
    id: id.replaceAll("-", ""), clientId: String(token.client_id ?? json.client_id ?? ""), userId: String(attrs.user_id ?? ""),
    idpSessionId: null, scopes: Array.isArray(token.scopes) ? token.scopes.map(String) : [],
    amr: Array.isArray(amr) ? amr.map(String) : [], authenticatedAt: epoch(json.authenticated_at) ?? created, tokenHash,
    createdAt: created, lastAccessedAt: epoch(last.time) ?? created, expiresAt: tokenExpiry !== null ? Math.min(expiresAt, tokenExpiry) : expiresAt,
    ip: String(last.ip ?? ""), userAgent: String(last.user_agent ?? "").slice(0, 512), revokedAt: null,
    previousTokenHash: null, rotatedAt: null, rotationSalt: null,
  };
}

/** Reads every offline grant of the app, `batch` keys at a time (SCAN, then GET and PTTL in one pipeline). */
export async function* readGrants(url: string, prefix: string, appId: string, now: number, tally: Tally, batch = 500): AsyncGenerator<OfflineGrant[]> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    // The id part of the pattern keeps out `offline-grant-list:` and `offline-grant-mutex:` keys.
    const glob = (v: string): string => v.replace(/[*?[\]\\]/g, "\\$&");
    const pattern = `${glob(prefix)}app:${glob(appId)}:offline-grant:*`;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", batch);
      cursor = next;
      if (keys.length === 0) continue;
      const pipe = redis.pipeline();
      for (const k of keys) pipe.get(k).pttl(k);
      const results = (await pipe.exec()) ?? [];
      const grants: OfflineGrant[] = [];
      keys.forEach((key, i) => {
        const [[, data], [, ttl]] = [results[2 * i], results[2 * i + 1]];
        let json: Json;
        try {
          json = asObject(JSON.parse(String(data)));
        } catch {
          tally.skip(key, "the grant is not JSON");
          return;
        }
        const g = mapGrant(json, Number(ttl), now, tally);
        if ("skip" in g) tally.skip(key, g.skip);
        else grants.push(g);
      });
      if (grants.length > 0) yield grants;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
