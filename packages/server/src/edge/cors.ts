// Credentialed CORS for the origins of registered redirect URIs only: the browser SDK calls token,
// userinfo and revoke with `credentials: "include"`, which forbids a wildcard origin. Routes opt in
// with `cors: true` in the route table.
import type { ClientRegistry } from "../oauth/clients.ts";

export function corsHeaders(clients: ClientRegistry, method: string | undefined, origin: string | undefined): Record<string, string> {
  if (typeof origin !== "string" || !clients.isAllowedOrigin(origin)) return { vary: "Origin" };
  const headers: Record<string, string> = { vary: "Origin", "access-control-allow-origin": origin, "access-control-allow-credentials": "true" };
  if (method === "OPTIONS") {
    headers["access-control-allow-methods"] = "GET, POST, OPTIONS";
    headers["access-control-allow-headers"] = "Authorization, Content-Type, X-Authgear-SDK-Version";
    headers["access-control-max-age"] = "600";
  }
  return headers;
}
