// Every protocol endpoint, in one table: path, methods, handler, and how its errors are answered.
// To add an endpoint, write a Handler in its feature folder and list it here (docs/edge.md).
import type { Context } from "../context.ts";
import { tokenEndpoint } from "../oauth/token/token-endpoint.ts";
import { revokeEndpoint } from "../oauth/revoke-endpoint.ts";
import { userinfoEndpoint } from "../oauth/userinfo-endpoint.ts";
import { discoveryEndpoint, jwksEndpoint } from "../oauth/discovery-endpoints.ts";
import { authorizeEndpoints } from "../oauth/authorize/endpoint.ts";
import { endSessionEndpoint } from "../oauth/end-session-endpoint.ts";
import { resolverEndpoint, resolverInDoubt } from "../resolver/endpoint.ts";
import { revocationFeedEndpoints } from "../revocation-feed/endpoints.ts";
import type { RevocationWatcher } from "../revocation-feed/watcher.ts";
import { healthEndpoint } from "../observability/health.ts";
import { readinessEndpoint } from "../observability/readiness.ts";
import { metricsEndpoint } from "../observability/metrics-endpoint.ts";
import { appSessionTokenEndpoint } from "../settings-surface/app-session-token-endpoint.ts";
import { deviceKeyRoutes } from "../device-keys/routes.ts";
import type { Route } from "./types.ts";

export function protocolRoutes(ctx: Context, deps: { watcher: RevocationWatcher }): Route[] {
  const authorize = authorizeEndpoints(ctx);
  const feed = revocationFeedEndpoints(ctx, deps.watcher);
  const discovery = discoveryEndpoint(ctx);
  return [
    { path: "/.well-known/openid-configuration", methods: ["GET"], handler: discovery, errors: "json", cors: true },
    { path: "/.well-known/oauth-authorization-server", methods: ["GET"], handler: discovery, errors: "json", cors: true },
    { path: "/oauth2/jwks", methods: ["GET"], handler: jwksEndpoint(ctx), errors: "json", cors: true },
    { path: "/oauth2/authorize", methods: ["GET", "POST"], handler: authorize.authorize, errors: "page", body: true },
    { path: "/oauth2/authorize/resume", methods: ["GET"], handler: authorize.resume, errors: "page" },
    { path: "/oauth2/token", methods: ["POST"], handler: tokenEndpoint(ctx), errors: "json", cors: true, body: true },
    { path: "/oauth2/app_session_token", methods: ["POST"], handler: appSessionTokenEndpoint(ctx), errors: "json", cors: true, body: true },
    { path: "/oauth2/revoke", methods: ["POST"], handler: revokeEndpoint(ctx), errors: "json", cors: true, body: true },
    { path: "/oauth2/userinfo", methods: ["GET", "POST"], handler: userinfoEndpoint(ctx), errors: "json", cors: true, body: true },
    { path: "/oauth2/end_session", methods: ["GET", "POST"], handler: endSessionEndpoint(ctx), errors: "page", body: true },
    // Proxies forward the original method to the resolver; Authgear answers any.
    ...deviceKeyRoutes(ctx),
    { path: "/_resolver/resolve", methods: "*", handler: resolverEndpoint(ctx), errors: "json", inDoubt: resolverInDoubt },
    { path: "/_api/revocations", methods: ["GET"], handler: feed.poll, errors: "json" },
    { path: "/_api/revocations/stream", methods: ["GET"], handler: feed.stream, errors: "json" },
    { path: "/healthz", methods: ["GET"], handler: healthEndpoint(), errors: "json" },
    { path: "/readyz", methods: ["GET"], handler: readinessEndpoint(ctx), errors: "json" },
    // On the main listener only behind a bearer token; `metrics.listen` serves it on its own address.
    ...(ctx.config.metrics.bearer_token
      ? [{ path: "/metrics", methods: ["GET"], handler: metricsEndpoint(ctx, ctx.config.metrics.bearer_token), errors: "json" } satisfies Route]
      : []),
  ];
}
