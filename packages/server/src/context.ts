// What start-up builds once and hands to the parts that need it (config → stores → services).
import type { Config } from "./config/schema.ts";
import type { Storage } from "./storage/ports.ts";
import type { ClientRegistry } from "./oauth/clients.ts";
import type { KeyRing } from "./crypto/keys.ts";
import type { PasswordHasher } from "./users/password-hash.ts";
import type { RevocationListener } from "./domain/revocation.ts";
import type { ValidityCache } from "./session/validity-cache.ts";
import type { VerifiedTokenCache } from "./crypto/verified-tokens.ts";
import type { Mailer } from "./account/messaging/mailer.ts";
import type { RateLimiter } from "./account/limits/rate-limiter.ts";
import type { Redis } from "ioredis";
import type { Metrics } from "./observability/metrics.ts";

export interface Context {
  config: Config;
  /** The public origin without a trailing slash: our issuer. */
  issuer: string;
  storage: Storage;
  clients: ClientRegistry;
  keys: KeyRing;
  passwords: PasswordHasher;
  /** Access tokens whose signature, issuer and expiry already checked out. */
  verifiedTokens: VerifiedTokenCache;
  /** Session/grant liveness and users for the hot paths; revocations invalidate it. */
  validity: ValidityCache;
  /** Told of every revocation made on this node (caches, the feed). */
  revocationListeners: Set<RevocationListener>;
  /** Email: SMTP, or the local outbox when no SMTP host is configured. */
  mailer: Mailer;
  /** Rate limit buckets: in Redis when `redis.url` is set, else in this process. */
  rateLimiter: RateLimiter;
  /** The Redis connection when `redis.url` is set; closed with the app. */
  redis: Redis | null;
  /** Prometheus metrics: this node's counters, served at GET /metrics. */
  metrics: Metrics;
  /**
   * How calls to upstream sign-in providers (sso/) leave the process: the global fetch unless set.
   * Tests route the fixed provider hosts (github.com, appleid.apple.com…) to local servers with it.
   */
  upstreamFetch?: typeof fetch;
  /** Unix seconds; injectable so tests can move time. */
  now(): number;
  /** Closes the database and Redis connections. */
  close(): Promise<void>;
}
