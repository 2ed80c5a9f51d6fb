// GET /metrics and GET /readyz (issue 10 §3), read back with a real Prometheus text-format parser
// (parse-prometheus-text-format: a port of the Prometheus Python client's parser), so a malformed
// exposition fails here and not in a scraper.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { createMetrics } from "../../src/observability/metrics.ts";
import { freePort, startTestServer, type TestServer } from "../support/server.ts";
import { UserAgent } from "../support/user-agent.ts";
import { csrfOf, finishAtApp, openLogin, post, submitLogin } from "../account/fixture.ts";
import { SPA_CLIENT } from "../support/server.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { POSTGRES_URL } from "../storage/backends.ts";
import { skipPostgres } from "../storage/fixtures.ts";
import pg from "pg";

interface Family {
  name: string;
  type: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[];
}
const parse = (text: string): Map<string, Family> => new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
const sample = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined => {
  const m = families.get(name)?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m?.value === undefined ? undefined : Number(m.value);
};

describe("metrics: the exposition", () => {
  it("renders every family in valid text format, from its own registry", async () => {
    const stats = { total: 4, idle: 1, waiting: 2, max: 10 };
    const m = createMetrics({ poolStats: () => stats });
    const other = createMetrics({ processMetrics: false });
    m.observeRequest("/oauth2/token", "POST", 200, 0.004);
    m.observeRequest("/oauth2/token", "POST", 200, 0.2);
    m.observeRequest("/oauth2/token", "POST", 503, 5.1);
    m.tokenIssued("refresh_token");
    m.tokenIssued("refresh_token");
    m.tokenIssued("authorization_code");
    m.signIn("failed");
    m.revoked("grant");
    m.revocationSeen(1000, 1_002_500);
    assert.match(m.contentType, /^text\/plain; version=0\.0\.4/);
    const text = await m.render();
    const f = parse(text);
    assert.equal(sample(f, "gatehouse_http_requests_total", { route: "/oauth2/token", method: "POST", status: "200" }), 2);
    assert.equal(sample(f, "gatehouse_http_requests_total", { status: "503" }), 1);
    const hist = f.get("gatehouse_http_request_duration_seconds")!;
    assert.equal(hist.type, "HISTOGRAM");
    // The parser merges a labelled histogram's series (see its .d.ts): one series here, so its
    // buckets are ours; _count is read from the text.
    assert.equal(Number(hist.metrics[0].buckets!["0.005"]), 1);
    assert.equal(Number(hist.metrics[0].buckets!["0.25"]), 2);
    assert.equal(Number(hist.metrics[0].buckets!["+Inf"]), 3);
    assert.match(text, /^gatehouse_http_request_duration_seconds_count\{route="\/oauth2\/token",method="POST"\} 3$/m);
    assert.equal(sample(f, "gatehouse_tokens_issued_total", { grant_type: "refresh_token" }), 2);
    assert.equal(sample(f, "gatehouse_tokens_issued_total", { grant_type: "authorization_code" }), 1);
    assert.equal(sample(f, "gatehouse_sign_ins_total", { result: "failed" }), 1);
    assert.equal(sample(f, "gatehouse_sign_ins_total", { result: "succeeded" }), 0);
    assert.equal(sample(f, "gatehouse_revocations_total", { kind: "grant" }), 1);
    assert.equal(sample(f, "gatehouse_revocation_lag_seconds"), 2.5);
    assert.equal(sample(f, "gatehouse_db_pool_connections", { state: "in_use" }), 3);
    assert.equal(sample(f, "gatehouse_db_pool_connections", { state: "idle" }), 1);
    assert.equal(sample(f, "gatehouse_db_pool_waiting"), 2);
    assert.equal(sample(f, "gatehouse_db_pool_max"), 10);
    assert.ok(f.has("process_cpu_user_seconds_total"), "process metrics are on by default");
    // The other registry saw none of it.
    const g = parse(await other.render());
    assert.equal(sample(g, "gatehouse_tokens_issued_total", { grant_type: "refresh_token" }), undefined);
    assert.equal(g.has("gatehouse_db_pool_waiting"), false, "no pool, no pool gauges");
  });
});

describe("metrics and readiness on a running server (SQLite)", () => {
  const token = randomBytes(24).toString("hex");
  let s: TestServer;
  let metricsPort: number;
  before(async () => {
    metricsPort = await freePort();
    s = await startTestServer({ config: { metrics: { bearer_token: token, listen: `127.0.0.1:${metricsPort}` } } });
  });
  after(async () => s?.close());

  const scrape = async (): Promise<Map<string, Family>> => {
    const res = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    return parse(await res.text());
  };

  it("GET /metrics needs the bearer token on the main listener", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: `Basic ${token}` }] as Record<string, string>[]) {
      const res = await fetch(`${s.url}/metrics`, { headers });
      assert.equal(res.status, 401);
      assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
      assert.doesNotMatch(await res.text(), /gatehouse_/);
    }
  });

  it("the metrics listener serves /metrics and nothing else", async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(res.status, 200);
    assert.ok(parse(await res.text()).has("gatehouse_http_requests_total"));
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}/oauth2/jwks`)).status, 404);
  });

  it("counts requests by route, sign-ins, tokens by grant and revocations where they happen", async () => {
    const email = `m-${randomBytes(4).toString("hex")}@example.com`;
    await s.createUser(email, "correct horse battery staple");
    await fetch(`${s.url}/oauth2/jwks`);
    await fetch(`${s.url}/no/such/${randomBytes(4).toString("hex")}`);
    // One wrong password, then the right one through the whole code flow.
    const agent = new UserAgent();
    const { html, flow } = await openLogin(s, agent);
    assert.equal((await post(agent, `${s.url}/login`, { csrf: csrfOf(html), flow, email, password: "wrong password!!" })).status, 401);
    const tokens = await finishAtApp(s, agent, await submitLogin(s, agent, email, "correct horse battery staple"));
    const refreshed = await fetch(`${s.url}/oauth2/token`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: String(tokens.refresh_token), client_id: SPA_CLIENT.client_id }),
    });
    assert.equal(refreshed.status, 200);
    const revoked = await fetch(`${s.url}/oauth2/revoke`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: String(tokens.refresh_token), client_id: SPA_CLIENT.client_id }),
    });
    assert.equal(revoked.status, 200);

    const f = await scrape();
    assert.ok(sample(f, "gatehouse_http_requests_total", { route: "/oauth2/jwks", method: "GET", status: "200" })! >= 1);
    assert.ok(sample(f, "gatehouse_http_requests_total", { route: "/oauth2/token", method: "POST", status: "200" })! >= 2);
    // Paths outside the route table share one label: a scanner cannot create series.
    assert.ok(sample(f, "gatehouse_http_requests_total", { route: "other", status: "404" })! >= 1);
    assert.equal(f.get("gatehouse_http_requests_total")!.metrics.some((m) => m.labels?.route?.startsWith("/no/such")), false);
    assert.ok(sample(f, "gatehouse_tokens_issued_total", { grant_type: "authorization_code" })! >= 1);
    assert.ok(sample(f, "gatehouse_tokens_issued_total", { grant_type: "refresh_token" })! >= 1);
    assert.ok(sample(f, "gatehouse_sign_ins_total", { result: "failed" })! >= 1);
    assert.ok(sample(f, "gatehouse_sign_ins_total", { result: "succeeded" })! >= 1);
    assert.ok(sample(f, "gatehouse_revocations_total", { kind: "grant" })! >= 1);
    // The watcher read the revocation back from the log: the lag gauge is set (small, same node).
    const lag = sample(f, "gatehouse_revocation_lag_seconds");
    assert.ok(lag !== undefined && lag >= 0 && lag < 5, `lag ${lag}`);
  });

  it("GET /readyz is 200 with the database check, /healthz stays liveness", async () => {
    const res = await fetch(`${s.url}/readyz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; checks: { database: { ok: boolean } } };
    assert.equal(body.status, "ready");
    assert.equal(body.checks.database.ok, true);
  });
});

describe("metrics are never open by default", () => {
  it("no bearer token, no listener: /metrics is not served", async () => {
    const s = await startTestServer();
    try {
      assert.equal((await fetch(`${s.url}/metrics`)).status, 404);
    } finally {
      await s.close();
    }
  });
});

describe("readiness with PostgreSQL cut off through a proxy", { skip: skipPostgres }, () => {
  const schema = `gh_test_${randomBytes(6).toString("hex")}`;
  let proxy: TcpProxy;
  let s: TestServer;
  const logLines: Record<string, unknown>[] = [];
  before(async () => {
    proxy = await startTcpProxy({ port: 5432 });
    s = await startTestServer({
      build: { logDestination: { write: (line: string) => { logLines.push(JSON.parse(line)); } } },
      databaseUrl: `${proxy.url(POSTGRES_URL)}?schema=${schema}`,
      config: { database: { url: `${proxy.url(POSTGRES_URL)}?schema=${schema}`, connect_timeout_ms: 500, query_timeout_ms: 1000, statement_timeout_ms: 800, idle_in_transaction_timeout_ms: 600 } },
    });
  });
  after(async () => {
    proxy?.restore();
    await s?.close();
    await proxy?.close();
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it("/readyz is 503 while the database is cut or frozen, 200 after, without a restart; /healthz stays 200", async () => {
    assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
    for (const fault of ["cut", "freeze"] as const) {
      proxy[fault]();
      try {
        const started = performance.now();
        const res = await fetch(`${s.url}/readyz`);
        assert.equal(res.status, 503, `during ${fault}`);
        assert.equal(((await res.json()) as { status: string }).status, "not_ready");
        assert.ok(performance.now() - started < 1500, "readiness answers within its own bound");
        assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
        // A request that needs the database: a clean 503 temporarily_unavailable, not a hang or a 500.
        const token = await fetch(`${s.url}/oauth2/token`, {
          method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
          // Well-formed, so it is looked up: the database is needed to say it is unknown.
          body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: `${"0".repeat(32)}.${"A".repeat(43)}`, client_id: SPA_CLIENT.client_id }),
        });
        assert.equal(token.status, 503, `token endpoint during ${fault}`);
        assert.equal(((await token.json()) as { error: string }).error, "temporarily_unavailable");
        // A hosted page that needs the database (Fastify behind the edge): a 503 page, logged.
        const logged = logLines.filter((l) => l.msg === "storage unavailable").length;
        // A well-formed flow id (32 random bytes, base64url), so it is looked up in the database.
        const page = await fetch(`${s.url}/login?flow=${randomBytes(32).toString("base64url")}`);
        assert.equal(page.status, 503, `login page during ${fault}`);
        assert.match(page.headers.get("content-type") ?? "", /text\/html/);
        assert.ok(logLines.filter((l) => l.msg === "storage unavailable").length > logged, "the page's 503 is logged");
      } finally {
        proxy.restore();
      }
      let ready = 0;
      for (let i = 0; i < 40 && ready !== 200; i++) {
        ready = (await fetch(`${s.url}/readyz`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(ready, 200, `ready again after ${fault}`);
    }
  });
});
