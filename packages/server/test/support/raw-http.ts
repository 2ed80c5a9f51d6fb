// Raw HTTP requests for hostile input that fetch refuses to send (bad headers, lying Content-Length).
import { request } from "node:http";
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("timed out")));
    req.end(options.body);
  });
}

/** Sends the head (and optionally a first piece of body) and resolves with the raw answer as soon as one arrives. */
export function sendHead(url: string, head: string, firstBody = ""): Promise<{ text: string; ms: number }> {
  const u = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(head + firstBody));
    let text = "";
    socket.on("data", (d) => {
      text += d.toString("utf8");
      if (text.includes("\r\n\r\n")) {
        socket.destroy();
        resolve({ text, ms: performance.now() - started });
      }
    });
    socket.on("error", reject);
    socket.setTimeout(10_000, () => { socket.destroy(); reject(new Error("no answer")); });
  });
}
