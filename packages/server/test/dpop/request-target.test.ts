// Which request a proof must name: our own endpoints at the public origin; for the resolver, the app
// request a trusted proxy describes, and nothing a client could forge when the proxy is not trusted.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Context } from "../../src/context.ts";
import { edgeRequest } from "../../src/edge/request.ts";
import { ownEndpointTarget, resolverTarget } from "../../src/dpop/request-target.ts";

// resolverTarget reads only these two fields of the context.
const ctx = (trustProxy: boolean): Context => ({ issuer: "https://auth.example.com", config: { http: { trust_proxy: trustProxy } } }) as unknown as Context;
const forwarded = { "x-original-method": "PATCH", "x-original-uri": "/api/items/7?draft=1", "x-forwarded-proto": "https", "x-forwarded-host": "app.example.com" };
const resolver = (headers: Record<string, string>, trust = true) => resolverTarget(ctx(trust), edgeRequest({ path: "/_resolver/resolve", headers }));

describe("proof targets", () => {
  it("our endpoints are judged at the public origin, whatever Host came", () => {
    assert.deepEqual(ownEndpointTarget(ctx(true), { method: "GET", path: "/oauth2/userinfo" }), { method: "GET", uri: "https://auth.example.com/oauth2/userinfo" });
  });

  it("with a trusted proxy, the forwarded method, URI (query dropped), scheme and host", () => {
    assert.deepEqual(resolver(forwarded), { method: "PATCH", uri: "https://app.example.com/api/items/7" });
    assert.deepEqual(resolver({ ...forwarded, "x-forwarded-host": "app.example.com:8443, proxy.internal" }), { method: "PATCH", uri: "https://app.example.com:8443/api/items/7" });
    // Only the URI forwarded: the public origin.
    assert.deepEqual(resolver({ "x-original-uri": "/x" }), { method: "GET", uri: "https://auth.example.com/x" });
  });

  it("without a trusted proxy, forwarded headers are ignored", () => {
    assert.deepEqual(resolver(forwarded, false), { method: "GET", uri: "https://auth.example.com/_resolver/resolve" });
  });

  it("hostile forwarded values make no target (the proof is then refused)", () => {
    for (const bad of [
      { "x-original-method": "get" }, { "x-original-method": "GET;" }, { "x-original-method": "A".repeat(17) },
      { "x-original-uri": "https://evil.example.com/" }, { "x-original-uri": "api" },
      { "x-forwarded-proto": "javascript" }, { "x-forwarded-host": "evil.example.com/path" }, { "x-forwarded-host": "a@b" },
      { "x-forwarded-host": "x".repeat(300) }, { "x-forwarded-proto": undefined as unknown as string },
    ]) {
      const headers = { ...forwarded, ...bad } as Record<string, string>;
      for (const k of Object.keys(headers)) if (headers[k] === undefined) delete headers[k];
      assert.equal(resolver(headers), null, JSON.stringify(bad));
    }
  });
});
