// Discovery (OIDC Discovery §4, RFC 8414 §3) and the JWKS (RFC 7517): public, cacheable documents
// built once (the JWKS once per key set).
import type { Context } from "../context.ts";
import { discoveryDocument } from "./discovery.ts";
import type { EdgeResponse, Handler } from "../edge/types.ts";

const publicJson = (json: string): EdgeResponse => ({
  status: 200,
  headers: { "content-type": "application/json", "cache-control": "public, max-age=300", "content-length": String(Buffer.byteLength(json)) },
  body: json,
});

export function discoveryEndpoint(ctx: Context): Handler {
  const response = publicJson(JSON.stringify(discoveryDocument(ctx.issuer)));
  return () => response;
}

export function jwksEndpoint(ctx: Context): Handler {
  let built: { json: string; response: EdgeResponse } | null = null;
  return () => {
    const json = ctx.keys.jwksJson();
    if (built?.json !== json) built = { json, response: publicJson(json) };
    return built.response;
  };
}
