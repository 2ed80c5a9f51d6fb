// Anonymous GET /oauth2/authorize stores a pending sign-in (auth_flows): bounded in what it keeps,
// in size, and in how many one client IP may create (issue 11 item 5: 3,000 requests with three
// 3.9 KB x_ parameters added 34 MB).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { decideAuthorization } from "../../src/oauth/authorize/decide.ts";
import { validateAuthorizationRequest } from "../../src/oauth/authorize/request.ts";
import { OAuthError } from "../../src/oauth/errors.ts";
import { SPA_CLIENT, startTestServer, type TestServer } from "../support/server.ts";

const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const base = { client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid", code_challenge: CHALLENGE, code_challenge_method: "S256", state: "st-1" };

describe("pending sign-ins (auth_flows)", () => {
  let server: TestServer;
  let db: Database.Database;
  const flowRows = (): number => (db.prepare("SELECT COUNT(*) AS n FROM auth_flows").get() as { n: number }).n;
  before(async () => {
    server = await startTestServer({ config: { oauth: { clients: [SPA_CLIENT], rate_limits: { authorize_per_ip: { burst: 3, period: "1m" } } } } });
    db = new Database(server.ctx.config.database.url.slice("sqlite:".length), { readonly: true });
  });
  after(async () => {
    db.close();
    await server.close();
  });

  const authorize = (params: Record<string, string>) =>
    fetch(`${server.url}/oauth2/authorize?${new URLSearchParams(params)}`, { redirect: "manual" });

  it("refuses a request whose parameters exceed the budget, back to the client, and stores nothing", async () => {
    const before = flowRows();
    const big = "x".repeat(3900);
    const res = await authorize({ ...base, x_a: big, x_b: big, x_c: big });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location")!);
    assert.equal(`${location.origin}${location.pathname}`, SPA_CLIENT.redirect_uris[0]);
    assert.equal(location.searchParams.get("error"), "invalid_request");
    assert.equal(location.searchParams.get("state"), "st-1");
    assert.equal(flowRows(), before);
  });

  it("keeps only the parameters the resumed request reads, and Authgear's x_ ones", async () => {
    const res = await authorize({ ...base, x_page: "signup", x_sso_enabled: "false", unknown_thing: "y".repeat(3000), another: "z" });
    assert.equal(res.status, 302);
    const to = new URL(res.headers.get("location")!, server.url);
    assert.equal(to.pathname, "/signup");
    const flow = await server.ctx.storage.authFlows.get(to.searchParams.get("flow")!);
    assert.deepEqual(flow!.params, { ...base, x_page: "signup", x_sso_enabled: "false" });
    assert.equal(flow!.expiresAt - flow!.createdAt, 1800);
  });

  it("limits how many a client IP may create; other IPs are not affected", async () => {
    const ctx = server.ctx;
    const req = validateAuthorizationRequest(ctx.clients, base);
    const start = (ip: string) => decideAuthorization(ctx, req, null, { ip });
    for (let i = 0; i < 3; i++) assert.equal((await start("198.51.100.7")).kind, "login");
    const before = flowRows();
    await assert.rejects(start("198.51.100.7"), (err: unknown) => err instanceof OAuthError && err.error === "temporarily_unavailable" && err.redirectable);
    assert.equal(flowRows(), before, "a refused request stores nothing");
    assert.equal((await start("203.0.113.9")).kind, "login");
  });
});
