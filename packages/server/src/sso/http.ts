// Calls to upstream providers: bounded in time and size, and every failure turned into an
// UpstreamError the callback shows as a readable page (never a 500, never the raw body).
import type { Context } from "../context.ts";

const TIMEOUT_MS = 10_000;
const MAX_BYTES = 1 << 20;

/** What went wrong talking to the provider; `detail` is for the log, never the page. */
export class UpstreamError extends Error {
  readonly reason: "unreachable" | "refused" | "invalid_response" | "invalid_token" | "no_email" | "cancelled";
  readonly detail: string;
  constructor(reason: UpstreamError["reason"], detail: string) {
    super(`upstream ${reason}: ${detail}`);
    this.name = "UpstreamError";
    this.reason = reason;
    this.detail = detail;
  }
}

export interface UpstreamRequest {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  form?: Record<string, string>;
}

/** Fetches a JSON object from the provider; a non-2xx answer is `refused` with the OAuth error code if it sent one. */
export async function upstreamJson(ctx: Context, url: string, r: UpstreamRequest = {}): Promise<Record<string, unknown>> {
  const json = await upstreamAny(ctx, url, r);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UpstreamError("invalid_response", `${new URL(url).origin}${new URL(url).pathname} did not answer a JSON object`);
  }
  return json as Record<string, unknown>;
}

/** Fetches any JSON value (GitHub's /user/emails is an array). */
export async function upstreamAny(ctx: Context, url: string, r: UpstreamRequest = {}): Promise<unknown> {
  const fetchImpl = ctx.upstreamFetch ?? fetch;
  const headers: Record<string, string> = { accept: "application/json", "user-agent": "Gatehouse", ...r.headers };
  let body: string | undefined;
  if (r.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(r.form).toString();
  }
  let response: Response;
  try {
    response = await fetchImpl(url, { method: r.method ?? (body ? "POST" : "GET"), headers, body, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new UpstreamError("unreachable", `${new URL(url).origin}: ${(err as Error).message}`);
  }
  const text = await readBounded(response);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const object = typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  // A provider in trouble is not a provider saying no.
  if (response.status >= 500) throw new UpstreamError("unreachable", `${new URL(url).origin}${new URL(url).pathname} answered HTTP ${response.status}`);
  if (!response.ok) {
    const code = typeof object?.error === "string" ? object.error.slice(0, 100) : `HTTP ${response.status}`;
    throw new UpstreamError("refused", `${new URL(url).origin}${new URL(url).pathname} answered ${code}`);
  }
  if (json === null) throw new UpstreamError("invalid_response", `${new URL(url).origin}${new URL(url).pathname} did not answer JSON`);
  return json;
}

async function readBounded(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  if (declared > MAX_BYTES) throw new UpstreamError("invalid_response", `answer of ${declared} bytes is too large`);
  const buf = await response.arrayBuffer().catch((err: Error) => {
    throw new UpstreamError("unreachable", err.message);
  });
  if (buf.byteLength > MAX_BYTES) throw new UpstreamError("invalid_response", `answer of ${buf.byteLength} bytes is too large`);
  return new TextDecoder().decode(buf);
}
