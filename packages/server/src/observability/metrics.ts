// Prometheus metrics (issue 10 §3), in a Registry of our own rather than prom-client's global one:
// two apps in one process (tests, several nodes in one test) must not share or clash over series.
// The edge serves render() on `metrics.listen` or behind `metrics.bearer_token`, never openly.
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { registerRequestMetrics } from "./request-metrics.ts";
import type { PoolStats } from "../storage/ports.ts";

export type SignInResult = "succeeded" | "failed" | "locked_out";

export interface Metrics {
  /** One finished HTTP request. `route` is the route's pattern (never the raw path: unbounded series). */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  tokenIssued(grantType: string): void;
  signIn(result: SignInResult): void;
  revoked(kind: string): void;
  /** The revocation watcher saw an event created at `createdAtSeconds` (unix seconds, whole). */
  revocationSeen(createdAtSeconds: number, nowMs?: number): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** The Content-Type to send with render()'s body. */
  readonly contentType: string;
  readonly registry: Registry;
}

// From 1 ms (a cached JWKS or resolver answer) to 10 s (past the database query limit).
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(options: { poolStats?: () => PoolStats | null; processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  const observeRequest = registerRequestMetrics(registry, { requests: "gatehouse_http_requests_total", duration: "gatehouse_http_request_duration_seconds" }, LATENCY_BUCKETS);
  const tokens = new Counter({
    name: "gatehouse_tokens_issued_total", help: "Token responses issued by the token endpoint, by grant type.",
    labelNames: ["grant_type"] as const, registers: [registry],
  });
  const signIns = new Counter({
    name: "gatehouse_sign_ins_total", help: "Password sign-in attempts: succeeded, failed (wrong credentials), locked_out (lockout or rate limit).",
    labelNames: ["result"] as const, registers: [registry],
  });
  const revocations = new Counter({
    name: "gatehouse_revocations_total", help: "Revocations made on this node, by kind (session, grant, user).",
    labelNames: ["kind"] as const, registers: [registry],
  });
  const revocationLag = new Gauge({
    name: "gatehouse_revocation_lag_seconds",
    help: "For the latest revocation this node's watcher read from the log: seconds between its creation (any node) and this node seeing it. Whole-second resolution.",
    registers: [registry],
  });
  // Pre-set so a dashboard shows zeroes rather than "no data" before the first event.
  for (const result of ["succeeded", "failed", "locked_out"]) signIns.labels(result).inc(0);

  const poolStats = options.poolStats;
  if (poolStats) {
    // Read at scrape time: the pool keeps the numbers, nothing to update per query.
    new Gauge({
      name: "gatehouse_db_pool_connections", help: "Database connections in the pool, by state (in_use, idle).",
      labelNames: ["state"] as const, registers: [registry],
      collect() {
        const s = poolStats();
        if (!s) return;
        this.set({ state: "in_use" }, s.total - s.idle);
        this.set({ state: "idle" }, s.idle);
      },
    });
    new Gauge({
      name: "gatehouse_db_pool_waiting", help: "Requests waiting for a database connection (all in use).", registers: [registry],
      collect() { const s = poolStats(); if (s) this.set(s.waiting); },
    });
    new Gauge({
      name: "gatehouse_db_pool_max", help: "The pool's connection limit (database.pool_max).", registers: [registry],
      collect() { const s = poolStats(); if (s) this.set(s.max); },
    });
  }

  return {
    registry,
    contentType: registry.contentType,
    observeRequest,
    tokenIssued(grantType) {
      tokens.labels(grantType).inc();
    },
    signIn(result) {
      signIns.labels(result).inc();
    },
    revoked(kind) {
      revocations.labels(kind).inc();
    },
    revocationSeen(createdAtSeconds, nowMs = Date.now()) {
      revocationLag.set(Math.max(0, nowMs / 1000 - createdAtSeconds));
    },
    render: () => registry.metrics(),
  };
}
