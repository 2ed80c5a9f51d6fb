// A real webhook receiver for the tests, as an Authgear backend would write one: node:http, checks
// x-authgear-body-signature against the raw body, records what it got. `answer` decides each reply.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac, timingSafeEqual } from "node:crypto";

export interface Received {
  body: string;
  event: { id: string; seq: number; type: string; payload: Record<string, any>; context: Record<string, any> };
  signatureOk: boolean;
  status: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Only the requests answered 2xx. */
  delivered(): Received[];
  waitFor(pred: (r: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type Answer = (event: Received["event"], n: number) => { status: number; body?: unknown; delayMs?: number };

export async function startReceiver(secret: string, answer: Answer = () => ({ status: 200 })): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac("sha256", secret).update(raw).digest();
      const got = Buffer.from(String(req.headers["x-authgear-body-signature"] ?? ""), "hex");
      const signatureOk = got.length === expected.length && timingSafeEqual(got, expected);
      const event = JSON.parse(raw.toString("utf8"));
      const a = signatureOk ? answer(event, received.length) : { status: 401 };
      received.push({ body: raw.toString("utf8"), event, signatureOk, status: a.status });
      const send = (): void => {
        res.writeHead(a.status, { "content-type": "application/json" });
        res.end(a.body === undefined ? "{}" : typeof a.body === "string" ? a.body : JSON.stringify(a.body));
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    delivered: () => received.filter((r) => r.status >= 200 && r.status < 300),
    async waitFor(pred, timeoutMs = 8000) {
      const until = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > until) throw new Error(`receiver: timed out; got ${received.map((r) => `${r.event.type}:${r.status}`).join(", ")}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
