// The method and URI a proof must name (RFC 9449 §4.3 points 8-9). Our own endpoints are reached at
// the configured public origin (the issuer), whatever Host a proxy forwards: the SDKs build their
// URLs from discovery, which names that origin. The resolver instead judges another server's request,
// which only a trusted proxy can describe (docs/dpop.md has the nginx lines).
import type { Context } from "../context.ts";
import type { EdgeRequest } from "../edge/types.ts";
import { normalizeHtu, type ProofTarget } from "./proof.ts";

const METHOD = /^[A-Z]{1,16}$/;
const PROTO = /^https?$/;

/** A request to one of our endpoints: its method, at the public origin. */
export function ownEndpointTarget(ctx: Context, request: { method: string; path: string }): ProofTarget {
  return { method: request.method, uri: normalizeHtu(`${ctx.issuer}${request.path}`) ?? `${ctx.issuer}${request.path}` };
}

const first = (value: string | string[] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined ? undefined : v.split(",", 1)[0].trim();
};

/**
 * The app request behind a resolver call. With `http.trust_proxy`, the proxy says what it was:
 * X-Original-Method, X-Original-URI (path and query as received), X-Forwarded-Proto and
 * X-Forwarded-Host. Without it those headers are anyone's, so only the resolver request itself
 * counts (at the public origin). Null when the forwarded values do not make a URI.
 */
export function resolverTarget(ctx: Context, request: EdgeRequest): ProofTarget | null {
  if (!ctx.config.http.trust_proxy) return ownEndpointTarget(ctx, request);
  const h = request.headers;
  const method = first(h["x-original-method"]) ?? request.method;
  if (!METHOD.test(method)) return null;
  const originalUri = first(h["x-original-uri"]);
  if (originalUri !== undefined && !originalUri.startsWith("/")) return null;
  const proto = first(h["x-forwarded-proto"]);
  const host = first(h["x-forwarded-host"]);
  let origin = ctx.issuer;
  if (proto !== undefined || host !== undefined) {
    if (proto === undefined || host === undefined || !PROTO.test(proto) || host.length > 255 || /[/\\?#@\s]/.test(host)) return null;
    origin = `${proto}://${host}`;
  }
  const uri = normalizeHtu(`${origin}${originalUri ?? request.path}`);
  return uri ? { method, uri } : null;
}
