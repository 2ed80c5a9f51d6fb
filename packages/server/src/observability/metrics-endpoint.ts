// GET /metrics, never open by default (issue 10 §3): metrics tell request rates, sign-in failures
// and client ids' traffic. Served either on a listener of its own (`metrics.listen`, for a private
// network or 127.0.0.1) or on the main listener to callers presenting `metrics.bearer_token`.
import { createServer, type Server } from "node:http";
import type { Context } from "../context.ts";
import { safeEqual, sha256 } from "../crypto/secrets.ts";
import type { EdgeResponse, Handler } from "../edge/types.ts";

const PREFIX = "Bearer ";

/** The main listener's GET /metrics, behind the configured bearer token (RFC 6750 §2.1). */
export function metricsEndpoint(ctx: Pick<Context, "metrics">, bearerToken: string): Handler {
  // Compared as hashes: equal lengths, constant time.
  const expected = sha256(bearerToken);
  return async (request): Promise<EdgeResponse> => {
    const auth = request.headers.authorization ?? "";
    const presented = auth.startsWith(PREFIX) ? auth.slice(PREFIX.length).trim() : "";
    if (!presented || !safeEqual(sha256(presented), expected)) {
      return {
        status: 401,
        headers: { "www-authenticate": 'Bearer realm="gatehouse-metrics"', "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
        body: "a bearer token is required\n",
      };
    }
    return { status: 200, headers: { "content-type": ctx.metrics.contentType, "cache-control": "no-store" }, body: await ctx.metrics.render() };
  };
}

/** Starts the `metrics.listen` listener: GET /metrics and nothing else. */
export async function startMetricsListener(ctx: Pick<Context, "metrics">, listen: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("method not allowed\n");
      return;
    }
    ctx.metrics.render().then(
      (body) => res.writeHead(200, { "content-type": ctx.metrics.contentType, "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body),
      (err: Error) => res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`metrics failed: ${err.message}\n`),
    );
  });
  const at = listen.lastIndexOf(":");
  const host = listen.slice(0, at) || "0.0.0.0";
  const port = Number(listen.slice(at + 1));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
