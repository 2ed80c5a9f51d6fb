// The edge on its own, with a route table made for the test: how errors become responses, and an
// endpoint called without a socket.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEdge } from "../../src/edge/server.ts";
import { edgeRequest } from "../../src/edge/request.ts";
import { OAuthError } from "../../src/oauth/errors.ts";
import { StorageUnavailableError } from "../../src/storage/errors.ts";
import { createLogger } from "../../src/observability/logger.ts";
import { createAccessLog } from "../../src/observability/access-log.ts";
import { createClientRegistry } from "../../src/oauth/clients.ts";
import { resolverInDoubt } from "../../src/resolver/endpoint.ts";
import type { Route } from "../../src/edge/types.ts";
import { rawRequest } from "../support/raw-http.ts";

describe("edge error mapping", () => {
  const lines: Record<string, unknown>[] = [];
  let server: Server;
  let url: string;
  const boom = (): never => { throw new Error("database exploded: password=hunter2"); };
  const routes: Route[] = [
    { path: "/boom", methods: ["GET"], handler: boom, errors: "json" },
    { path: "/boom-page", methods: ["GET"], handler: async () => boom(), errors: "page" },
    { path: "/oauth", methods: ["GET"], handler: () => { throw new OAuthError("invalid_request", "nope"); }, errors: "json" },
    { path: "/down", methods: ["GET"], handler: () => { throw new StorageUnavailableError("connect ECONNREFUSED"); }, errors: "json" },
    { path: "/doubt", methods: "*", handler: boom, errors: "json", inDoubt: resolverInDoubt },
  ];
  const sink = { write: (s: string) => { lines.push(JSON.parse(s)); } };
  before(async () => {
    const edge = createEdge({
      routes, clients: createClientRegistry([]), trustProxy: false, hsts: true, bodyLimit: 1024,
      logger: createLogger({ level: "info", destination: sink }), accessLog: createAccessLog({ sink, requests: "all", level: "info" }),
    });
    server = createServer((req, res) => edge.handle(req, res, (_q, s) => { s.writeHead(404); s.end("fallback"); }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("answers an unexpected error with a generic 500 naming the request id, and logs the stack under that id", async () => {
    const r = await rawRequest(`${url}/boom`);
    assert.equal(r.status, 500);
    const id = r.headers["x-request-id"];
    assert.deepEqual(JSON.parse(r.body), { error: "server_error", error_description: `internal error (request ${id})` });
    assert.ok(!r.body.includes("exploded"));
    const logged = lines.find((l) => l.msg === "unhandled error" && l.req_id === id) as { err: { stack: string } };
    assert.match(logged.err.stack, /database exploded/);
    const page = await rawRequest(`${url}/boom-page`);
    assert.equal(page.status, 500);
    assert.match(String(page.headers["content-type"]), /text\/html/);
    assert.match(String(page.headers["content-security-policy"]), /frame-ancestors 'none'/);
  });

  it("maps OAuth errors and storage outages, sends HSTS, and keeps the resolver at 200 when in doubt", async () => {
    const o = await rawRequest(`${url}/oauth`);
    assert.equal(o.status, 400);
    assert.deepEqual(JSON.parse(o.body), { error: "invalid_request", error_description: "nope" });
    const d = await rawRequest(`${url}/down`);
    assert.equal(d.status, 503);
    assert.equal(JSON.parse(d.body).error, "temporarily_unavailable");
    assert.equal(d.headers["retry-after"], "5");
    assert.equal(o.headers["strict-transport-security"], "max-age=31536000; includeSubDomains");
    const r = await rawRequest(`${url}/doubt`, { method: "DELETE" });
    assert.equal(r.status, 200);
    assert.equal(r.headers["x-authgear-session-valid"], "false");
    const fb = await rawRequest(`${url}/elsewhere`);
    assert.equal(fb.body, "fallback");
    assert.ok(lines.some((l) => l.msg === "request" && l.path === "/elsewhere" && l.status === 404));
  });

  it("builds request values without a socket", () => {
    const req = edgeRequest({ path: "/x", query: "a=1&a=2&b=%zz", headers: { cookie: "session=%zz" } });
    assert.equal(req.cookie("session"), "%zz");
    assert.throws(() => req.query(), (e: unknown) => e instanceof OAuthError && e.error === "invalid_request");
    const post = edgeRequest({ method: "POST", path: "/x", headers: { "content-type": "text/plain" }, body: "a=1" });
    assert.throws(() => post.form(), (e: unknown) => e instanceof OAuthError && e.error === "invalid_request");
  });
});
