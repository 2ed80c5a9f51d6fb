// Opens the stores and services every command needs (the database, signing keys, clients, mail),
// without the web server: one-shot CLI commands load only this. buildApp (app.ts) adds the HTTP side.
import type { Config } from "./config/schema.ts";
import type { Context } from "./context.ts";
import { openStorage } from "./storage/open.ts";
import { openKeyRing } from "./crypto/keys.ts";
import { createClientRegistry } from "./oauth/clients.ts";
import { createPasswordHasher } from "./users/password-hash.ts";
import { createValidityCache } from "./session/validity-cache.ts";
import { createVerifiedTokenCache } from "./crypto/verified-tokens.ts";
import type { RevocationListener } from "./session/revocation.ts";
import type { RevocationKind } from "./storage/admin-ports.ts";
import { createMailer } from "./account/messaging/mailer.ts";
import { createMemoryRateLimiter } from "./account/limits/rate-limiter.ts";
import { createRedisRateLimiter } from "./account/limits/redis-rate-limiter.ts";
import { createMetrics } from "./observability/metrics.ts";

export const cacheKeyKind = (kind: RevocationKind): "sid" | "user" => (kind === "session" || kind === "grant" ? "sid" : "user");

/** Opens stores and services. `redis: false` skips Redis (one-shot CLI commands need only the database). */
export async function createContext(config: Config, options: { now?: () => number; redis?: boolean; upstreamFetch?: typeof fetch } = {}): Promise<Context> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const storage = await openStorage(config.database);
  await storage.migrate();
  const h = config.authentication.password_hash;
  const clients = createClientRegistry(config.oauth.clients);
  // Operator changes made through the admin API override the config file's initial values.
  for (const [id, settings] of Object.entries(await storage.clientSettings.all())) clients.applySettings(id, settings);
  const validity = createValidityCache(storage, { ttlMs: 30_000 });
  // ioredis is loaded only when a Redis is configured.
  const redis = config.redis.url && options.redis !== false ? await (await import("./storage/redis.ts")).connectRedis(config.redis.url) : null;
  const revocationListeners = new Set<RevocationListener>([(kind, id) => validity.invalidate(cacheKeyKind(kind), id)]);
  return {
    config,
    validity,
    verifiedTokens: createVerifiedTokenCache(50_000),
    issuer: new URL(config.http.public_origin).origin,
    storage,
    clients,
    // ID tokens live 300 s; access tokens as long as their client says (config or admin API, at most 30 days).
    keys: await openKeyRing(storage.signingKeys, now, { retireAfterSeconds: () => Math.max(300, ...clients.all().map((c) => c.access_token_lifetime_seconds)) + 300 }),
    revocationListeners,
    passwords: createPasswordHasher({ memoryKib: h.memory_kib, iterations: h.iterations, parallelism: h.parallelism }),
    mailer: createMailer(config, storage.outbox, { now, onError: (err) => console.error(`gatehouse: sending email failed: ${(err as Error).message}`) }),
    rateLimiter: redis
      ? createRedisRateLimiter(redis, { prefix: config.redis.key_prefix, onError: redisTrouble })
      : createMemoryRateLimiter(),
    redis,
    metrics: createMetrics({ poolStats: () => storage.poolStats() }),
    upstreamFetch: options.upstreamFetch,
    now,
    async close() {
      await storage.close();
      await redis?.quit();
    },
  };
}

// One line per failure streak, not per request, while Redis is down.
let lastRedisComplaint = 0;
function redisTrouble(err: Error): void {
  if (Date.now() - lastRedisComplaint < 10_000) return;
  lastRedisComplaint = Date.now();
  console.error(`gatehouse: redis: ${err.message}; rate limits are not enforced until it is back`);
}

