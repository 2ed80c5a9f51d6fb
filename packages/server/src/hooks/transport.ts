// How an event leaves the process: POST to an http(s) handler, signed as Authgear signs it
// (x-authgear-body-signature, hex HMAC-SHA256 of the body), or a call into a script handler's worker
// thread (script-runner.ts). Both answer the same outcome; failures are data, never thrown.
import { signBody, SIGNATURE_HEADER } from "./signature.ts";
import { isScriptUrl, runScript } from "./script-runner.ts";
import type { CallOutcome } from "./outcome.ts";

export type { CallOutcome };


export interface CallOptions {
  secret: string | undefined;
  timeoutMs: number;
  /** Heap limit of a script handler's worker. */
  scriptMemoryMb: number;
}

const MAX_RESPONSE = 64 * 1024;

/** Posts the event body (already serialised: the signature covers these exact bytes). */
export async function callHandler(url: string, body: string, o: CallOptions): Promise<CallOutcome> {
  if (isScriptUrl(url)) return runScript(url, body, { timeoutMs: o.timeoutMs, memoryMb: o.scriptMemoryMb });
  const started = performance.now();
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Gatehouse-Webhook" };
  if (o.secret !== undefined) headers[SIGNATURE_HEADER] = signBody(o.secret, body);
  try {
    const res = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(o.timeoutMs) });
    const response = await readCapped(res);
    const latencyMs = performance.now() - started;
    // Authgear: any status outside 2xx is a failed delivery (hook_web.go performRequest).
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `invalid status code ${res.status}`, latencyMs, response };
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === "TimeoutError" || e.name === "AbortError";
    const cause = (e.cause as Error | undefined)?.message;
    return {
      ok: false, statusCode: null, latencyMs: performance.now() - started, response: null,
      error: timedOut ? `webhook delivery timeout after ${o.timeoutMs} ms` : `${e.message}${cause ? `: ${cause}` : ""}`,
    };
  }
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > MAX_RESPONSE) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE).toString("utf8");
}
