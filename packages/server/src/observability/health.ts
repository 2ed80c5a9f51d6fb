// GET /healthz: liveness only — the process is up and answering. Readiness (can it serve?) is /readyz.
import type { Handler } from "../edge/types.ts";

export function healthEndpoint(): Handler {
  const response = { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: '{"status":"ok"}' };
  return () => response;
}
