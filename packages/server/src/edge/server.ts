// The one front door. Every request passes through here: it gets an id, its client IP and user agent,
// a body limit, HSTS on https, and one access-log line. Protocol endpoints are answered from the route
// table (routes.ts) as plain functions; everything else (HTML pages, admin API, portal) goes on to
// Fastify. Errors become responses here and nowhere else: OAuth errors as data, storage outages as
// 503, anything unexpected logged with its stack and answered with a generic 500.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { OAuthError } from "../oauth/errors.ts";
import { isStorageUnavailable } from "../storage/errors.ts";
import type { ClientRegistry } from "../oauth/clients.ts";
import { HSTS_VALUE } from "../http/security-headers.ts";
import type { Logger } from "../observability/logger.ts";
import type { AccessLog } from "../observability/access-log.ts";
import { corsHeaders } from "./cors.ts";
import { declaredTooLarge, readBody } from "./body.ts";
import { clientInfoOf } from "./client-info.ts";
import { IncomingEdgeRequest } from "./request.ts";
import { errorPageResponse, jsonResponse, oauthErrorPage, oauthErrorResponse } from "./responses.ts";
import type { EdgeRequest, EdgeResponse, Route } from "./types.ts";

export interface EdgeOptions {
  routes: Route[];
  clients: ClientRegistry;
  trustProxy: boolean;
  /** The public origin is https: send HSTS. */
  hsts: boolean;
  bodyLimit: number;
  /** Paths (served behind the edge) allowed a larger body than bodyLimit: Authgear's 500 KB user import. */
  largeBodies?: Map<string, number>;
  /** Errors and warnings. */
  logger: Logger;
  /** One line per request. */
  accessLog: AccessLog;
  /** Told of every answered request (metrics). */
  onResponse?: (route: string, method: string, status: number, seconds: number) => void;
}

export type Fallback = (req: IncomingMessage, res: ServerResponse) => void;

export interface Edge {
  handle(req: IncomingMessage, res: ServerResponse, fallback: Fallback): void;
  /** Ends open event streams (they never end on their own) and refuses new requests, so the server can close. */
  closeStreams(): void;
}

const REQUEST_ID = Symbol("gatehouse.requestId");
/** The edge's id for a request, for Fastify's logger behind it. */
export const requestIdOf = (req: IncomingMessage): string => (req as IncomingMessage & { [REQUEST_ID]?: string })[REQUEST_ID] ?? "-";

const TOO_LARGE = new OAuthError("invalid_request", "request body is too large", { status: 413, redirectable: false });
const CLOSING = new OAuthError("temporarily_unavailable", "the server is shutting down; try again", { status: 503, redirectable: false });
const UNAVAILABLE = new OAuthError("temporarily_unavailable", "the service is temporarily unavailable; try again shortly", { redirectable: false });

/** Which error style a path answers in when no route names one (requests that go on to Fastify). */
const jsonPath = (path: string): boolean => path.startsWith("/_api/") || path.startsWith("/oauth2/") || path.startsWith("/.well-known/");

export function createEdge(options: EdgeOptions): Edge {
  const byPath = new Map(options.routes.map((r) => [r.path, r]));
  const { logger } = options;
  const idPrefix = randomBytes(4).toString("hex");
  let counter = 0;
  const streams = new Set<() => void>();
  // Set once the server starts closing: new requests are refused (as Fastify does behind us), or a
  // feed follower reconnecting on a kept-alive socket would open a stream that keeps the server up.
  let closing = false;

  function accessLog(req: IncomingMessage, id: string, path: string, status: number, started: number, clientId: string | undefined): void {
    const seconds = (performance.now() - started) / 1000;
    options.onResponse?.(byPath.has(path) ? path : "other", req.method ?? "", status, seconds);
    options.accessLog.write({
      reqId: id, method: req.method ?? "", path: path.length > 200 ? `${path.slice(0, 200)}…` : path, status,
      ms: Math.round(seconds * 10000) / 10, ip: clientInfoOf(req, options.trustProxy).ip, clientId,
    });
  }

  function errorResponse(err: unknown, style: "json" | "page", request: { id: string; method?: string; path: string }): EdgeResponse {
    if (err instanceof OAuthError) return style === "json" ? oauthErrorResponse(err) : oauthErrorPage(err);
    if (isStorageUnavailable(err)) {
      logger.warn({ req_id: request.id, path: request.path, err: (err as Error).message }, "storage unavailable");
      return style === "json"
        ? jsonResponse(503, UNAVAILABLE.toJSON(), { "retry-after": "5" })
        : errorPageResponse(503, "Temporarily unavailable", "The service cannot answer right now. Try again in a few seconds.", { "retry-after": "5" });
    }
    logger.error({ req_id: request.id, method: request.method, path: request.path, err }, "unhandled error");
    return style === "json"
      ? jsonResponse(500, { error: "server_error", error_description: `internal error (request ${request.id})` })
      : errorPageResponse(500, "Something went wrong", `The server could not handle this request. If it keeps happening, quote request ${request.id}.`);
  }

  function write(req: IncomingMessage, res: ServerResponse, route: Route | undefined, path: string, r: EdgeResponse, started: number, id: string): void {
    // The request id (and HSTS) go in with the route's headers: one writeHead with a fresh object is
    // node's fast path; a setHeader before it makes writeHead merge header by header.
    const headers: Record<string, string | string[]> = { ...r.headers, "x-request-id": id };
    if (r.headers["content-length"] === undefined && !r.stream) headers["content-length"] = String(Buffer.byteLength(r.body));
    if (options.hsts) headers["strict-transport-security"] = HSTS_VALUE;
    if (route?.cors && req.headers.origin !== undefined) Object.assign(headers, corsHeaders(options.clients, req.method, req.headers.origin));
    res.writeHead(r.status, headers);
    if (r.stream) {
      if (r.body) res.write(r.body);
      const stop = r.stream.start((chunk) => res.write(chunk));
      let closed = false;
      const end = (): void => { res.end(); };
      const close = (): void => {
        if (closed) return;
        closed = true;
        streams.delete(end);
        stop();
      };
      streams.add(end);
      res.once("close", close);
      // The client may have gone while the stream was being set up: its slot is freed all the same.
      if (res.destroyed) close();
      // A stream whose set-up finished after closing began ends at once.
      else if (closing) end();
    } else {
      res.end(req.method === "HEAD" ? undefined : r.body);
    }
    accessLog(req, id, path, r.status, started, r.clientId);
  }

  /** The answer for a handler that threw: an OAuth error, a 503 or a logged 500 (or the route's in-doubt answer). */
  function failure(route: Route, err: unknown, id: string, method: string, path: string): EdgeResponse {
    const r = errorResponse(err, route.errors, { id, method, path });
    return route.inDoubt && !(err instanceof OAuthError) ? route.inDoubt() : r;
  }

  function run(req: IncomingMessage, res: ServerResponse, route: Route, path: string, rawQuery: string, body: string | undefined, started: number, id: string): void {
    const method = req.method ?? "GET";
    const request: EdgeRequest = new IncomingEdgeRequest(id, method, path, req.headers, clientInfoOf(req, options.trustProxy), rawQuery, body);
    let result: EdgeResponse | Promise<EdgeResponse>;
    try {
      result = route.handler(request);
    } catch (err) {
      result = failure(route, err, id, method, path);
    }
    // Answers that need no I/O (JWKS, discovery, cached resolver hits) are written at once, without
    // a trip through the microtask queue.
    if (!(result instanceof Promise)) {
      try {
        write(req, res, route, path, result, started, id);
      } catch (err) {
        notWritten(res, id, path, err);
      }
      return;
    }
    result
      .then((r) => write(req, res, route, path, r, started, id), (err) => write(req, res, route, path, failure(route, err, id, method, path), started, id))
      .catch((err) => notWritten(res, id, path, err));
  }

  /** A failure while writing (the socket went away, a header value node refuses): nothing is left to answer. */
  function notWritten(res: ServerResponse, id: string, path: string, err: unknown): void {
    logger.warn({ req_id: id, path, err: (err as Error).message }, "response not written");
    if (!res.headersSent) res.destroy();
  }

  function readThenRun(req: IncomingMessage, res: ServerResponse, route: Route, path: string, rawQuery: string, started: number, id: string): void {
    readBody(req, options.bodyLimit, (body) => {
      // Inside a stream event: nothing may throw out of here.
      try {
        if (body !== null) return run(req, res, route, path, rawQuery, body, started, id);
        res.setHeader("connection", "close");
        write(req, res, route, path, errorResponse(TOO_LARGE, route.errors, { id, path }), started, id);
      } catch (err) {
        notWritten(res, id, path, err);
      }
    }, (err) => notWritten(res, id, path, err));
  }

  function allows(route: Route, method: string): boolean {
    if (route.methods === "*") return true;
    return route.methods.includes(method) || (method === "HEAD" && route.methods.includes("GET"));
  }

  return {
    handle(req, res, fallback) {
      const started = performance.now();
      const id = `${idPrefix}-${(++counter).toString(36)}`;
      (req as IncomingMessage & { [REQUEST_ID]?: string })[REQUEST_ID] = id;
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const path = q < 0 ? url : url.slice(0, q);
      const route = byPath.get(path);
      const method = req.method ?? "GET";

      // RFC 9110 §15.5.14: refuse a declared body over the limit before reading any of it, everywhere.
      if (declaredTooLarge(req, route ? options.bodyLimit : (options.largeBodies?.get(path) ?? options.bodyLimit))) {
        res.setHeader("connection", "close");
        return write(req, res, route, path, errorResponse(TOO_LARGE, route?.errors ?? (jsonPath(path) ? "json" : "page"), { id, path }), started, id);
      }
      if (closing && route) {
        res.setHeader("connection", "close");
        return write(req, res, route, path, errorResponse(CLOSING, route.errors, { id, path }), started, id);
      }
      if (!route) {
        // Fastify's pages read the client (clientInfo in http/client-info.ts) from what is stashed here:
        // worked out now, with http.trust_proxy, before any page can ask.
        clientInfoOf(req, options.trustProxy);
        res.setHeader("x-request-id", id);
        if (options.hsts) res.setHeader("strict-transport-security", HSTS_VALUE);
        res.once("finish", () => accessLog(req, id, path, res.statusCode, started, clientIdInQuery(url, q)));
        return fallback(req, res);
      }
      if (method === "OPTIONS" && route.cors) {
        return write(req, res, route, path, { status: 204, headers: { "cache-control": "no-store" }, body: "" }, started, id);
      }
      if (!allows(route, method)) {
        const allow = route.methods === "*" ? "" : [...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : [])].join(", ");
        return write(req, res, route, path, jsonResponse(405, { error: "invalid_request", error_description: `method ${method.slice(0, 16)} is not allowed here` }, { allow }), started, id);
      }
      const rawQuery = q < 0 ? "" : url.slice(q + 1);
      if (route.body && method !== "GET" && method !== "HEAD") readThenRun(req, res, route, path, rawQuery, started, id);
      else run(req, res, route, path, rawQuery, undefined, started, id);
    },
    closeStreams() {
      closing = true;
      for (const end of streams) end();
    },
  };
}

/** The client_id of a page request (authorize, login) for the access log; other query values are never logged. */
function clientIdInQuery(url: string, q: number): string | undefined {
  if (q < 0 || url.indexOf("client_id=", q) < 0) return undefined;
  try {
    return new URLSearchParams(url.slice(q + 1)).get("client_id")?.slice(0, 200) ?? undefined;
  } catch {
    return undefined;
  }
}
