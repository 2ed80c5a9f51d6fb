// Credentialed CORS for the origins of registered redirect URIs only: the browser SDK calls
// token, userinfo and revoke with `credentials: "include"`, which forbids a wildcard origin.
import type { FastifyInstance } from "fastify";
import type { ClientRegistry } from "../oauth/clients.ts";

export const CORS_PATHS = new Set([
  "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/oauth2/jwks",
  "/oauth2/token", "/oauth2/userinfo", "/oauth2/revoke",
]);

/** The CORS headers for a request (empty when none apply); shared by Fastify and the fast lane. */
export function corsHeaders(clients: ClientRegistry, path: string, method: string | undefined, origin: string | undefined): Record<string, string> {
  if (!CORS_PATHS.has(path)) return {};
  if (typeof origin !== "string" || !clients.isAllowedOrigin(origin)) return { vary: "Origin" };
  const headers: Record<string, string> = { vary: "Origin", "access-control-allow-origin": origin, "access-control-allow-credentials": "true" };
  if (method === "OPTIONS") {
    headers["access-control-allow-methods"] = "GET, POST, OPTIONS";
    headers["access-control-allow-headers"] = "Authorization, Content-Type, X-Authgear-SDK-Version";
    headers["access-control-max-age"] = "600";
  }
  return headers;
}

export function registerCors(app: FastifyInstance, clients: ClientRegistry): void {
  app.addHook("onRequest", async (request, reply) => {
    const headers = corsHeaders(clients, request.url.split("?", 1)[0], request.method, request.headers.origin);
    reply.headers(headers);
    if (request.method === "OPTIONS" && headers["access-control-allow-origin"]) return reply.code(200).send();
  });
  // Preflight needs a route to exist; the hook above answers it.
  for (const path of CORS_PATHS) app.options(path, async (_req, reply) => reply.code(204).send());
}
