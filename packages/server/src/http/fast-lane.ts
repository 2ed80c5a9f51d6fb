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
  const handlers: Record<string, (req: IncomingMessage) => Promise<PlainResponse> | PlainResponse> = {
    "/oauth2/jwks": jwksResponse,
    "/_resolver/resolve": (req) => resolverResponse(ctx, cookie, { authorization: req.headers.authorization, sessionCookie: readCookie(req.headers.cookie, cookie.name), client: clientOf(req) }),
    "/oauth2/userinfo": (req) => userinfoResponse(ctx, { authorization: req.headers.authorization, sessionCookie: readCookie(req.headers.cookie, cookie.name), client: clientOf(req) }),
  };

  return (req, res) => {
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const handler = handlers[path];
    if (!handler) return false;
    // Proxies may forward the original method to the resolver (Authgear answers any); the other
    // fast paths are GET/HEAD only (POST userinfo, preflights etc. go to Fastify).
    if (req.method !== "GET" && req.method !== "HEAD" && (path !== "/_resolver/resolve" || req.method === "OPTIONS")) return false;
    const head = req.method === "HEAD";
    const write = (r: PlainResponse): void => {
      const origin = req.headers.origin;
      writePlain(res, r, { head, extraHeaders: origin === undefined ? undefined : corsHeaders(ctx.clients, path, req.method, origin) });
    };
    const fail = (): void => writePlain(res, { status: 500, headers: { "content-type": "application/json" }, body: '{"error":"server_error","error_description":"internal error"}' }, { head });
    try {
      const result = handler(req);
      // Answers that need no I/O are written at once, without a trip through the microtask queue.
      if (result instanceof Promise) result.then(write, fail);
      else write(result);
    } catch {
      fail();
    }
    return true;
  };
}
