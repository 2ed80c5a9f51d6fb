// What one call to a handler (HTTP or script) came to; failures are data, never thrown.
export interface CallOutcome {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, for logs and the portal (never the secret). */
  error: string | null;
  latencyMs: number;
  /** The answer's text, at most 64 KiB read. */
  response: string | null;
}
