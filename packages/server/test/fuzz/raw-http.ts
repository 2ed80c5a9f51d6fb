// HTTP/1.1 over a raw socket: fetch() and http.request() refuse the hostile bytes this suite sends
// (NUL or CR/LF in headers, malformed request targets, raw non-UTF-8), so requests are written by
// hand. Every request closes its connection; the answer is the status line plus the headers.
import { connect } from "node:net";

export interface RawRequest {
  method: string;
  /** The request-target exactly as sent (may be malformed on purpose). */
  target: string;
  /** Header lines as [name, value]; bytes are sent as latin1, so one char is one byte. */
  headers: [string, string][];
  body?: Buffer;
}

export interface RawResponse {
  /** 0 when the connection closed without a status line. */
  status: number;
  headers: Record<string, string>;
  /** True when no answer came within the timeout: a hang. */
  timedOut: boolean;
  ms: number;
}

export function sendRaw(port: number, req: RawRequest, timeoutMs: number): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (timedOut: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseHead(Buffer.concat(chunks)), timedOut, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // The head is all we need; do not wait for a long body or a keep-alive close. An interim
      // 1xx head (Expect: 100-continue) is skipped.
      if (parseHead(Buffer.concat(chunks)).status >= 200) finish(false);
    });
    socket.on("error", () => finish(false));
    socket.on("close", () => finish(false));
    socket.on("connect", () => {
      const body = req.body ?? Buffer.alloc(0);
      const lines = [`${req.method} ${req.target} HTTP/1.1`, `host: 127.0.0.1:${port}`, "connection: close"];
      for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
      // A declared length may be part of the attack (a huge one with no body): then it is not added.
      const declared = req.headers.some(([name]) => name.toLowerCase() === "content-length");
      if (!declared && (body.length > 0 || req.method === "POST" || req.method === "PATCH")) lines.push(`content-length: ${body.length}`);
      socket.write(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), body]), () => undefined);
    });
  });
}

function parseHead(raw: Buffer): { status: number; headers: Record<string, string> } {
  let text = raw.toString("latin1");
  while (/^HTTP\/1\.[01] 1\d\d[^\r]*\r\n(?:[^\r]+\r\n)*\r\n/.test(text)) text = text.slice(text.indexOf("\r\n\r\n") + 4);
  if (!text.includes("\r\n\r\n")) return { status: 0, headers: {} };
  const end = text.indexOf("\r\n\r\n");
  const head = (end < 0 ? text : text.slice(0, end)).split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? "");
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: m ? Number(m[1]) : 0, headers };
}
