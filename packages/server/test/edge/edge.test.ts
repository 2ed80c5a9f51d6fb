// The one front door: what every request gets from the edge, whichever endpoint answers it.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, loginWithPkce, exchange, postToken, type Fixture, SPA_CLIENT } from "../oauth/fixture.ts";
import { rawRequest, sendHead } from "../support/raw-http.ts";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { POSTGRES_URL } from "../storage/backends.ts";

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

type LogLine = Record<string, unknown>;
const capture = (): { lines: LogLine[]; write(s: string): void } => {
  const lines: LogLine[] = [];
  return { lines, write: (s) => { lines.push(JSON.parse(s)); } };
};

for (const backend of ["sqlite", "postgres"] as const) describe(`the edge (${backend})`, () => {
  let f: Fixture;
  const log = capture();
  const schema = `gh_test_${randomBytes(6).toString("hex")}`;
  before(async () => { f = await setup({ build: { logDestination: log }, databaseUrl: backend === "postgres" ? `${POSTGRES_URL}?schema=${schema}` : undefined }); });
  after(async () => {
    await f.server.close();
    if (backend === "postgres") await dropSchema(schema);
  });

  it("answers a malformed session cookie with 200 valid:false at the resolver and 401 invalid_token at userinfo, logging no error", async () => {
    const errorsBefore = log.lines.filter((l) => (l.level as number) >= 50).length;
    for (const cookie of ["session=%zz", "session=%E0%A4%A", 'session="%"; a=%', "a=%; session=%%%"]) {
      const r = await rawRequest(`${f.server.url}/_resolver/resolve`, { headers: { cookie } });
      assert.equal(r.status, 200, cookie);
      assert.equal(r.headers["x-authgear-session-valid"], "false", cookie);
      const u = await rawRequest(`${f.server.url}/oauth2/userinfo`, { headers: { cookie } });
      assert.equal(u.status, 401, cookie);
      assert.equal(JSON.parse(u.body).error, "invalid_token");
      assert.match(String(u.headers["www-authenticate"]), /^Bearer error="invalid_token"/);
    }
    assert.equal(log.lines.filter((l) => (l.level as number) >= 50).length, errorsBefore);
  });

  it("takes the access token in a userinfo form body (RFC 6750 §2.2), and refuses it sent two ways", async () => {
    const tokens = await exchange(f, await loginWithPkce(f));
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const ok = await rawRequest(`${f.server.url}/oauth2/userinfo`, { method: "POST", headers: form, body: `access_token=${tokens.access_token}` });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).sub, f.userId);
    const both = await rawRequest(`${f.server.url}/oauth2/userinfo`, { method: "POST", headers: { ...form, authorization: `Bearer ${tokens.access_token}` }, body: `access_token=${tokens.access_token}` });
    assert.equal(both.status, 400);
    assert.equal(JSON.parse(both.body).error, "invalid_request");
    const bad = await rawRequest(`${f.server.url}/oauth2/userinfo`, { method: "POST", headers: form, body: "access_token=nope" });
    assert.equal(bad.status, 401);
    assert.equal(JSON.parse(bad.body).error, "invalid_token");
  });

  it("writes one access-log line per request, with id, status, duration and client id, and no query string", async () => {
    const r = await postToken(f, { grant_type: "refresh_token", refresh_token: "nope.nope", client_id: SPA_CLIENT.client_id });
    assert.equal(r.status, 400);
    const id = r.headers.get("x-request-id");
    assert.ok(id);
    const login = await rawRequest(`${f.server.url}/login?flow=secret-looking-value&client_id=${SPA_CLIENT.client_id}`);
    await rawRequest(`${f.server.url}/_resolver/resolve?token=should-not-be-logged`);
    const requests = log.lines.filter((l) => l.msg === "request");
    const token = requests.filter((l) => l.req_id === id);
    assert.equal(token.length, 1);
    assert.deepEqual({ method: token[0].method, path: token[0].path, status: token[0].status, client_id: token[0].client_id }, { method: "POST", path: "/oauth2/token", status: 400, client_id: SPA_CLIENT.client_id });
    assert.equal(typeof token[0].ms, "number");
    const page = requests.find((l) => l.req_id === login.headers["x-request-id"]);
    assert.equal(page?.path, "/login");
    assert.equal(page?.client_id, SPA_CLIENT.client_id);
    assert.ok(requests.some((l) => l.path === "/_resolver/resolve"));
    assert.ok(!JSON.stringify(log.lines).includes("secret-looking-value"));
    assert.ok(!JSON.stringify(log.lines).includes("should-not-be-logged"));
  });

  it("refuses a declared body over the limit before reading it, on protocol endpoints and pages alike", async () => {
    for (const path of ["/oauth2/token", "/oauth2/revoke", "/login", "/_api/admin/users"]) {
      const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 268435456\r\n\r\n`;
      const { text, ms } = await sendHead(f.server.url, head, "grant_type=");
      assert.match(text, /^HTTP\/1\.1 413/, path);
      assert.ok(ms < 2000, `${path} answered in ${ms} ms`);
    }
  });

  it("stops reading a chunked body at the limit", async () => {
    const chunk = "a".repeat(70 * 1024);
    const head = `POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const { text } = await sendHead(f.server.url, head, `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    assert.match(text, /^HTTP\/1\.1 413/);
  });

  it("answers a wrong method with 405 and Allow, and CORS preflight for registered origins", async () => {
    const r = await rawRequest(`${f.server.url}/oauth2/token`, { method: "GET" });
    assert.equal(r.status, 405);
    assert.match(String(r.headers.allow), /POST/);
    assert.equal(JSON.parse(r.body).error, "invalid_request");
    const origin = new URL(SPA_CLIENT.redirect_uris[0]).origin;
    const pre = await rawRequest(`${f.server.url}/oauth2/token`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers["access-control-allow-origin"], origin);
    const other = await rawRequest(`${f.server.url}/oauth2/token`, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
    assert.equal(other.headers["access-control-allow-origin"], undefined);
  });
});

describe("the edge's logging settings and HTTPS", () => {
  it("with log.requests=errors writes no line for successful requests; on an https origin sends HSTS", async () => {
    const log = capture();
    const f = await setup({ config: { log: { requests: "errors" } }, build: { logDestination: log } });
    try {
      await rawRequest(`${f.server.url}/healthz`);
      await rawRequest(`${f.server.url}/oauth2/jwks`);
      await rawRequest(`${f.server.url}/login`);
      assert.equal(log.lines.filter((l) => l.msg === "request").length, 0);
      assert.equal((await rawRequest(`${f.server.url}/healthz`)).headers["strict-transport-security"], undefined, "no HSTS on http");
    } finally {
      await f.server.close();
    }
  });
});
