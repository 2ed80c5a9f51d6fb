// Credentialed CORS for the origins of registered redirect URIs only: the browser SDK calls
// token, userinfo and revoke with `credentials: "include"`, which forbids a wildcard origin.
import type { FastifyInstance } from "fastify";
import type { ClientRegistry } from "../oauth/clients.ts";

export const CORS_PATHS = new Set([
  "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/oauth2/jwks",
  "/oauth2/token", "/oauth2/userinfo", "/oauth2/revoke",
]);

export function registerCors(app: FastifyInstance, clients: ClientRegistry): void {
  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?", 1)[0];
    if (!CORS_PATHS.has(path)) return;
    reply.header("vary", "Origin");
    const origin = request.headers.origin;
    if (typeof origin !== "string" || !clients.isAllowedOrigin(origin)) return;
    reply.header("access-control-allow-origin", origin).header("access-control-allow-credentials", "true");
    if (request.method === "OPTIONS") {
      reply
        .header("access-control-allow-methods", "GET, POST, OPTIONS")
        .header("access-control-allow-headers", "Authorization, Content-Type, X-Authgear-SDK-Version")
        .header("access-control-max-age", "600");
      return reply.code(200).send();
    }
  });
  // Preflight needs a route to exist; the hook above answers it.
  for (const path of CORS_PATHS) app.options(path, async (_req, reply) => reply.code(204).send());
}
