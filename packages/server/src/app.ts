// The composition root: config → stores → services → routes, built once at start-up.
import { createServer } from "node:http";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import formbody from "@fastify/formbody";
import cookie from "@fastify/cookie";
import type { Config } from "./config/schema.ts";
import type { Context } from "./context.ts";
import { openStorage } from "./storage/open.ts";
import { openKeyRing } from "./crypto/keys.ts";
import { createClientRegistry } from "./oauth/clients.ts";
import { createPasswordHasher } from "./users/password-hash.ts";
import { OAuthError } from "./oauth/errors.ts";
import { registerAuthUiRoutes } from "./authui/routes.ts";
import { ADMIN_PREFIX, registerAdminRoutes, sendProblem } from "./http/admin-routes.ts";
import { AdminError } from "./admin/errors.ts";
import { startRevocationWatcher } from "./revocation-feed/watcher.ts";
import { redisNudges } from "./revocation-feed/redis-nudge.ts";
import { createValidityCache } from "./session/validity-cache.ts";
import { createVerifiedTokenCache } from "./crypto/verified-tokens.ts";
import type { RevocationListener } from "./session/revocation.ts";
import type { RevocationKind } from "./storage/admin-ports.ts";
import { sendErrorPage, sendOAuthJson } from "./http/respond.ts";
import { registerPortal } from "../../portal/src/index.ts";
import { createMailer } from "./account/messaging/mailer.ts";
import { createMemoryRateLimiter } from "./account/limits/rate-limiter.ts";
import { createRedisRateLimiter } from "./account/limits/redis-rate-limiter.ts";
import { connectRedis } from "./storage/redis.ts";
import { parseFormStrict } from "./account/ui/form.ts";
import { createEdge, requestIdOf } from "./edge/server.ts";
import { protocolRoutes } from "./edge/routes.ts";
import { BODY_LIMIT_BYTES } from "./edge/body.ts";
import { isStorageUnavailable } from "./storage/errors.ts";
import { createLogger, silentLogger } from "./observability/logger.ts";
import { createAccessLog } from "./observability/access-log.ts";
import { createMetrics } from "./observability/metrics.ts";
import { startMetricsListener } from "./observability/metrics-endpoint.ts";
import type { DestinationStream } from "pino";
import { registerAccountRoutes } from "./account/routes.ts";
import { registerSsoRoutes } from "./sso/routes.ts";
import { sweepExpired } from "./maintenance/sweeper.ts";


const cacheKeyKind = (kind: RevocationKind): "sid" | "user" => (kind === "session" || kind === "grant" ? "sid" : "user");

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
  const redis = config.redis.url && options.redis !== false ? await connectRedis(config.redis.url) : null;
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

const wantsJson = (url: string): boolean => url.startsWith("/oauth2/") || url.startsWith("/.well-known/");

export interface BuildOptions {
  /** Write logs (JSON lines on stdout, or to `logDestination`); off: nothing is logged. */
  logger?: boolean;
  logDestination?: DestinationStream;
  revocationPollMs?: number;
}

export async function buildApp(ctx: Context, options: BuildOptions = {}): Promise<FastifyInstance> {
  const logging = Boolean(options.logger || options.logDestination);
  const logger = logging ? createLogger({ level: ctx.config.log.level, destination: options.logDestination }) : silentLogger();
  const accessLog = createAccessLog({ sink: options.logDestination ?? 1, requests: logging ? ctx.config.log.requests : "none", level: ctx.config.log.level });
  const nudges = ctx.redis ? await redisNudges(ctx.redis, `${ctx.config.redis.key_prefix}revocations`) : undefined;
  const watcher = await startRevocationWatcher(ctx, { intervalMs: options.revocationPollMs ?? 250, nudges });
  // Revocations made on other nodes reach this node's cache through the shared log.
  watcher.subscribe((events) => { for (const e of events) ctx.validity.invalidate(cacheKeyKind(e.kind), e.id); });

  const edge = createEdge({
    routes: protocolRoutes(ctx, { watcher }),
    clients: ctx.clients,
    trustProxy: ctx.config.http.trust_proxy,
    hsts: ctx.issuer.startsWith("https:"),
    bodyLimit: BODY_LIMIT_BYTES,
    logger,
    accessLog,
    onResponse: ctx.metrics.observeRequest,
  });
  const metricsListener = ctx.config.metrics.listen ? await startMetricsListener(ctx, ctx.config.metrics.listen) : null;
  // Behind the edge: HTML pages, the admin API and the portal.
  const app = Fastify({
    serverFactory: (handler) => createServer((req, res) => edge.handle(req, res, handler)),
    loggerInstance: logger as FastifyBaseLogger,
    // The edge writes the one access-log line per request; Fastify's own request lines are off.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "req_id" }),
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: ctx.config.http.trust_proxy,
    routerOptions: { maxParamLength: 200 },
  });
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES, parser: parseFormStrict });
  // Its parser (the `cookie` package) keeps a malformed %-escape as it came, as the edge's reader does.
  await app.register(cookie);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : isStorageUnavailable(err) ? 503 : 500;
    if (status === 500) request.log.error({ err }, "unhandled error");
    // The same line the edge writes for its own 503s: an outage must show in the log (issue 11 §11).
    else if (status === 503) request.log.warn({ path: request.url.split("?")[0], err: err.message }, "storage unavailable");
    const description = status === 500 ? `internal error (request ${request.id})` : status === 503 ? "temporarily unavailable; try again shortly" : status === 413 ? "request body is too large" : status === 415 ? "unsupported content type" : "malformed request";
    if (request.url.startsWith("/_api/")) return sendProblem(reply, new AdminError(status >= 500 ? "GH_ADMIN_INTERNAL" : "GH_ADMIN_INVALID_REQUEST", description));
    if (wantsJson(request.url)) {
      return sendOAuthJson(reply, new OAuthError(status === 500 ? "server_error" : status === 503 ? "temporarily_unavailable" : "invalid_request", description, { status }));
    }
    return sendErrorPage(reply, status, status === 500 ? "Something went wrong" : status === 503 ? "Temporarily unavailable" : "Bad request", `The server could not handle this request (${description}).`);
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith("/_api/")) return sendProblem(reply, new AdminError("GH_ADMIN_NOT_FOUND", "no such endpoint"));
    if (wantsJson(request.url)) {
      return reply.code(404).type("application/json").send(JSON.stringify({ error: "not_found", error_description: "no such endpoint" }));
    }
    return sendErrorPage(reply, 404, "Page not found", "There is nothing at this address.");
  });

  registerAuthUiRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerSsoRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerPortal(app);

  // One sweeper for every table with expiring rows; each node runs it, the deletes are idempotent.
  const sweep = setInterval(() => {
    sweepExpired(ctx).catch((err) => app.log.warn({ err }, "sweeping expired rows failed"));
  }, 10 * 60 * 1000);
  sweep.unref();
  // Event streams never end on their own: end them so the server can close.
  app.addHook("preClose", async () => edge.closeStreams());
  app.addHook("onClose", async () => accessLog.flush());
  app.addHook("onClose", async () => {
    clearInterval(sweep);
    watcher.stop();
    await new Promise((resolve) => (metricsListener ? metricsListener.close(resolve) : resolve(undefined)));
    await nudges?.close();
    await ctx.mailer.idle();
    await ctx.mailer.close();
    await ctx.close();
  });
  return app;
}
