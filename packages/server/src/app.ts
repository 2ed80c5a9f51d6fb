// The composition root: config → stores → services → routes, built once at start-up.
import { createServer } from "node:http";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import formbody from "@fastify/formbody";
import cookie from "@fastify/cookie";
import type { Context } from "./context.ts";
import { OAuthError } from "./oauth/errors.ts";
import { registerAuthUiRoutes } from "./authui/routes.ts";
import { ADMIN_PREFIX, registerAdminRoutes, sendProblem } from "./http/admin-routes.ts";
import { USER_IMPORT_BODY_LIMIT } from "./admin/user-import.ts";
import { registerAdminGraphql } from "./http/admin-graphql.ts";
import { AdminError } from "./admin/errors.ts";
import { startRevocationWatcher } from "./revocation-feed/watcher.ts";
import { redisNudges } from "./revocation-feed/redis-nudge.ts";
import { sendErrorPage, sendOAuthJson } from "./http/respond.ts";
import { registerPortal } from "../../portal/src/index.ts";
import { parseFormStrict } from "./account/ui/form.ts";
import { createEdge, requestIdOf } from "./edge/server.ts";
import { protocolRoutes } from "./edge/routes.ts";
import { BODY_LIMIT_BYTES } from "./edge/body.ts";
import { isStorageUnavailable } from "./storage/errors.ts";
import { createLogger, silentLogger } from "./observability/logger.ts";
import { createAccessLog } from "./observability/access-log.ts";
import { startMetricsListener } from "./observability/metrics-endpoint.ts";
import type { DestinationStream } from "pino";
import { registerAccountRoutes } from "./account/routes.ts";
import { registerSsoRoutes } from "./sso/routes.ts";
import { sweepExpired } from "./maintenance/sweeper.ts";
import { cacheKeyKind } from "./open-context.ts";
import { startDelivery } from "./hooks/delivery.ts";
import { stopScripts, warmScripts } from "./hooks/script-runner.ts";
import { setHookLog } from "./hooks/log.ts";


// The context lives in its own module so that one-shot CLI commands can open it without loading
// the web server; re-exported here for the callers that build both.
export { createContext } from "./open-context.ts";

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
    largeBodies: new Map([[`${ADMIN_PREFIX}/users/import`, USER_IMPORT_BODY_LIMIT]]),
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
  registerAdminGraphql(app, ctx);
  registerPortal(app);

  // One sweeper for every table with expiring rows; each node runs it, the deletes are idempotent.
  const sweep = setInterval(() => {
    sweepExpired(ctx).catch((err) => app.log.warn({ err }, "sweeping expired rows failed"));
  }, 10 * 60 * 1000);
  sweep.unref();
  // The webhook outbox's delivery worker (hooks/delivery.ts), on every node that has handlers.
  setHookLog(ctx.storage, app.log);
  warmScripts([...ctx.config.hook.blocking_handlers, ...ctx.config.hook.non_blocking_handlers].map((h) => h.url), ctx.config.hook.x_delivery.x_script_memory_mb);
  const delivery = ctx.config.hook.non_blocking_handlers.length > 0 ? startDelivery({ config: ctx.config, storage: ctx.storage, log: app.log }) : null;
  // Event streams never end on their own: end them so the server can close.
  app.addHook("preClose", async () => edge.closeStreams());
  app.addHook("onClose", async () => accessLog.flush());
  app.addHook("onClose", async () => {
    clearInterval(sweep);
    watcher.stop();
    await delivery?.stop();
    await stopScripts();
    await new Promise((resolve) => (metricsListener ? metricsListener.close(resolve) : resolve(undefined)));
    await nudges?.close();
    await ctx.mailer.idle();
    await ctx.mailer.close();
    await ctx.close();
  });
  return app;
}
