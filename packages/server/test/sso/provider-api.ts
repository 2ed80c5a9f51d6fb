// A stand-in for providers' fixed hosts (github.com, graph.facebook.com, appleid.apple.com…): one
// local HTTP server answering what a test registers (the documented responses in fixtures/), and a
// fetch for Context.upstreamFetch that sends https://<host>/<path> there as /<host>/<path>. Every
// request is recorded, so tests can check what Gatehouse sent (client secret, PKCE verifier…).
import { createServer, type IncomingMessage, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { freePort } from "../support/server.ts";

export interface Recorded {
  method: string;
  /** e.g. `api.github.com/user` */
  target: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  form: URLSearchParams;
}

export type Answer = { status: number; body: unknown };
export type Handler = (req: Recorded) => Answer | Promise<Answer>;

export interface ProviderApi {
  fetch: typeof fetch;
  requests: Recorded[];
  /** Answers requests to `https://<target>` (host + path, no query). */
  on(target: string, handler: Handler | Answer): void;
  close(): Promise<void>;
}

/** A fixture file's entries: `{ source, status, body }` each (the doc it came from, and its response). */
export function fixture(name: string): Record<string, { source: string; status: number; body: unknown; value?: unknown }> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));
}

/** A fixture file holding one response (a discovery document). */
export function fixtureAnswer(name: string): Answer & { source: string } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));
}

export async function startProviderApi(): Promise<ProviderApi> {
  const port = await freePort();
  const handlers = new Map<string, Handler>();
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://local");
    const target = url.pathname.slice(1);
    const recorded: Recorded = { method: req.method ?? "GET", target, query: url.searchParams, headers: req.headers, form: new URLSearchParams(Buffer.concat(chunks).toString()) };
    requests.push(recorded);
    const handler = handlers.get(target);
    const answer = handler ? await handler(recorded) : { status: 404, body: { error: "not_found" } };
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    requests,
    fetch: (input, init) => {
      const u = new URL(String(input));
      return fetch(u.protocol === "https:" ? `http://127.0.0.1:${port}/${u.host}${u.pathname}${u.search}` : u, init);
    },
    on(target, handler) {
      handlers.set(target, typeof handler === "function" ? handler : () => handler);
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
