// The hot GET endpoints — JWKS, the resolver and userinfo — answered straight from node:http,
// before Fastify's routing, hooks and plugins. They take no body and need none of that; on this
// hardware Fastify's per-request overhead alone is larger than their whole work. Everything else
// falls through to Fastify. The endpoint logic itself is shared (PlainResponse functions).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "../context.ts";
import { userinfoResponse } from "../oauth/userinfo-endpoint.ts";
import type { ClientInfo } from "../session/idp-sessions.ts";
import { corsHeaders } from "./cors.ts";
import { sessionCookieSettings } from "./cookies.ts";
import { writePlain, type PlainResponse } from "./plain-response.ts";
import { resolverResponse } from "./resolver-routes.ts";
import { createTokenEndpoint } from "./token-endpoint.ts";

const BODY_LIMIT_BYTES = 64 * 1024;
const TOO_LARGE: PlainResponse = { status: 413, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: '{"error":"invalid_request","error_description":"request body is too large"}' };

/** Reads a request body up to the limit; null if it is larger (the rest is discarded). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > BODY_LIMIT_BYTES ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Reads one cookie from a Cookie header without parsing the rest. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export type FastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

const SERVER_ERROR: PlainResponse = { status: 500, headers: { "content-type": "application/json" }, body: '{"error":"server_error","error_description":"internal error"}' };

export function createFastLane(ctx: Context, options: { trustProxy: boolean }): FastLane {
  const cookie = sessionCookieSettings(ctx.config);
  const clientOf = (req: IncomingMessage): ClientInfo => {
    const forwarded = options.trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0].trim() : "";
    return { ip: forwarded || req.socket.remoteAddress || "", userAgent: String(req.headers["user-agent"] ?? "").slice(0, 512) };
  };
  // The JWKS answer only changes when the key set does: build it once per key set.
  let jwks: { json: string; response: PlainResponse } | null = null;
  const jwksResponse = (): PlainResponse => {
    const json = ctx.keys.jwksJson();
    if (jwks?.json !== json) {
      jwks = { json, response: { status: 200, headers: { "content-type": "application/json", "cache-control": "public, max-age=300", "content-length": String(Buffer.byteLength(json)) }, body: json } };
    }
    return jwks.response;
  };
  const token = createTokenEndpoint(ctx);
  const tokenResponse = async (req: IncomingMessage): Promise<PlainResponse> => {
    const body = await readBody(req);
    if (body === null) return TOO_LARGE;
    return token({ contentType: req.headers["content-type"], body, authorization: req.headers.authorization, client: clientOf(req) });
  };
  const handlers: Record<string, (req: IncomingMessage) => Promise<PlainResponse> | PlainResponse> = {
    "/oauth2/jwks": jwksResponse,
    "/oauth2/token": tokenResponse,
    "/_resolver/resolve": (req) => resolverResponse(ctx, cookie, { authorization: req.headers.authorization, sessionCookie: readCookie(req.headers.cookie, cookie.name), client: clientOf(req) }),
    "/oauth2/userinfo": (req) => userinfoResponse(ctx, { authorization: req.headers.authorization, sessionCookie: readCookie(req.headers.cookie, cookie.name), client: clientOf(req) }),
  };

  const respond = (req: IncomingMessage, res: ServerResponse, path: string, head: boolean, r: PlainResponse): void => {
    const origin = req.headers.origin;
    writePlain(res, r, { head, extraHeaders: origin === undefined ? undefined : corsHeaders(ctx.clients, path, req.method, origin) });
  };

  return (req, res) => {
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const handler = handlers[path];
    if (!handler) return false;
    // Methods: the token endpoint takes POST only; proxies may forward any method to the resolver
    // (Authgear answers any); the rest are GET/HEAD. Everything else (preflights too) goes to Fastify.
    if (path === "/oauth2/token" ? req.method !== "POST" : req.method !== "GET" && req.method !== "HEAD" && (path !== "/_resolver/resolve" || req.method === "OPTIONS")) return false;
    const head = req.method === "HEAD";
    try {
      const result = handler(req);
      // Answers that need no I/O are written at once, without a trip through the microtask queue
      // (and without allocating callbacks: this runs for every request).
      if (result instanceof Promise) result.then((r) => respond(req, res, path, head, r), () => respond(req, res, path, head, SERVER_ERROR));
      else respond(req, res, path, head, result);
    } catch {
      respond(req, res, path, head, SERVER_ERROR);
    }
    return true;
  };
}
