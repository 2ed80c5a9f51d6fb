// GET /readyz: may this node take traffic? Unlike /healthz (liveness: the process answers), this
// fails while the database does not answer, so a load balancer stops sending requests that could
// only end in 503s, and an orchestrator does not restart a process that is fine (issue 10 §3).
import type { Context } from "../context.ts";
import { jsonResponse } from "../edge/responses.ts";
import type { Handler } from "../edge/types.ts";

export interface ReadinessCheck {
  ok: boolean;
  /** Milliseconds the check took. */
  ms: number;
  error?: string;
}

export interface Readiness {
  ok: boolean;
  checks: { database: ReadinessCheck; redis?: ReadinessCheck };
}

/** Well below a probe's usual 1 s timeout, so the probe gets our answer rather than its own. */
export const READINESS_TIMEOUT_MS = 800;

export async function checkReady(ctx: Pick<Context, "storage" | "redis">, options: { timeoutMs?: number } = {}): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  const [database, redis] = await Promise.all([
    timed(() => ctx.storage.ping(timeoutMs), timeoutMs),
    ctx.redis ? timed(async () => { await ctx.redis!.ping(); }, timeoutMs) : Promise.resolve(undefined),
  ]);
  // Redis is reported but does not decide readiness: rate limits fail open while it is down and
  // revocation nudges fall back to polling the revocation log, so every request can still be served.
  return { ok: database.ok, checks: redis ? { database, redis } : { database } };
}

async function timed(check: () => Promise<void>, timeoutMs: number): Promise<ReadinessCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // Raced as well as bounded inside: the pool may first wait for a connection.
    await Promise.race([check(), timeout]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** GET /readyz: 200 `{"status":"ready",…}` or 503 `{"status":"not_ready",…}`, with each check's result. */
export function readinessEndpoint(ctx: Pick<Context, "storage" | "redis">): Handler {
  return async () => {
    const r = await checkReady(ctx);
    return jsonResponse(r.ok ? 200 : 503, { status: r.ok ? "ready" : "not_ready", checks: r.checks });
  };
}
