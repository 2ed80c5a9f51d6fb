// The access log: one JSON line per request, in the same shape as the logger's lines (pino's level
// numbers, `msg: "request"`). Written by hand and in batches rather than through pino: this runs for
// every request, and on the hot endpoints (JWKS, the resolver) pino's per-line cost and one write(2)
// per request were a measurable share of the whole request. Lines are buffered and written together
// when 8 KiB have gathered or 100 ms have passed, and at close; a crash can lose at most that much.
import { writeSync } from "node:fs";
import type { RequestLogging } from "./logger.ts";

export interface AccessLine {
  reqId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  ip: string;
  clientId: string | undefined;
}

export interface AccessLog {
  write(line: AccessLine): void;
  /** Writes what is buffered now (at close). */
  flush(): void;
}

/** Where lines go: a file descriptor (stdout in production), or any sink with write() (tests). */
export type AccessLogSink = number | { write(text: string): unknown };

const FLUSH_BYTES = 8192;

// Methods come from node's HTTP parser (a fixed list of upper-case tokens) and ids from the edge.
// Printable ASCII without a quote or backslash needs no escaping; anything else (client-supplied
// paths, X-Forwarded-For) goes through JSON.stringify.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const jsonString = (s: string): string => (PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));

// Many requests share a millisecond under load: format the timestamp once per millisecond.
let lastMs = 0;
let lastIso = "";
function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
const FLUSH_MS = 100;

export function createAccessLog(options: { sink: AccessLogSink; requests: RequestLogging; level: string }): AccessLog {
  const { sink, requests } = options;
  // The access log is at info (30) and errors at error (50): a level above them silences them as
  // it silences every other line.
  const infoOn = ["trace", "debug", "info"].includes(options.level);
  const errorOn = infoOn || ["warn", "error"].includes(options.level);
  let pending = "";
  let timer: NodeJS.Timeout | null = null;

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    const text = pending;
    pending = "";
    try {
      if (typeof sink === "number") writeSync(sink, text);
      else sink.write(text);
    } catch {
      // stdout closed or full: the log is lost, the request is not.
    }
  };

  return {
    write(l) {
      const error = l.status >= 500;
      if (requests === "none" || (requests === "errors" && !error) || !(error ? errorOn : infoOn)) return;
      const line = `{"level":${error ? 50 : 30},"time":"${isoNow()}","req_id":"${l.reqId}","method":"${l.method}","path":${jsonString(l.path)},"status":${l.status},"ms":${l.ms},"ip":${jsonString(l.ip)}${l.clientId === undefined ? "" : `,"client_id":${jsonString(l.clientId)}`},"msg":"request"}\n`;
      // Tests (and any non-fd sink) get every line at once.
      if (typeof sink !== "number") {
        sink.write(line);
        return;
      }
      pending += line;
      if (pending.length >= FLUSH_BYTES) flush();
      else if (!timer) {
        timer = setTimeout(flush, FLUSH_MS);
        timer.unref();
      }
    },
    flush,
  };
}
