// The revocation feed for backends that verify JWTs locally: a polling form with a cursor and a
// server-sent-events stream. Both are public; they publish only hashes (see revocation-feed/present.ts).
import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";
import { presentFeedEvent, published } from "../revocation-feed/present.ts";
import type { RevocationWatcher } from "../revocation-feed/watcher.ts";

const HEARTBEAT_MS = 15000;
const MAX_STREAMS = 1000;

export function registerRevocationFeedRoutes(app: FastifyInstance, ctx: Context, watcher: RevocationWatcher): void {
  app.get("/_api/revocations", async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const after = typeof q.after === "string" && /^\d{1,15}$/.test(q.after) ? Number(q.after) : 0;
    const limit = typeof q.limit === "string" && /^\d{1,4}$/.test(q.limit) ? Math.min(1000, Math.max(1, Number(q.limit))) : 500;
    const events = (await ctx.storage.revocations.since(after, limit)).filter((e) => published(e, ctx.now())).map(presentFeedEvent);
    const cursor = events.length ? events[events.length - 1].seq : Math.max(after, 0);
    return reply.header("cache-control", "no-store").type("application/json").send(JSON.stringify({ events, cursor, latest: watcher.latestSeq() }));
  });

  let open = 0;
  const streams = new Set<import("node:http").ServerResponse>();
  // Streams never end on their own: end them so the server can close.
  app.addHook("preClose", async () => { for (const res of streams) res.end(); });
  app.get("/_api/revocations/stream", async (request, reply) => {
    if (open >= MAX_STREAMS) return reply.code(503).type("application/json").send('{"error":"temporarily_unavailable","error_description":"too many feed subscribers"}');
    const lastId = request.headers["last-event-id"] ?? (request.query as Record<string, unknown>).after;
    let cursor = typeof lastId === "string" && /^\d{1,15}$/.test(lastId) ? Number(lastId) : watcher.latestSeq();
    open++;
    reply.hijack();
    const res = reply.raw;
    streams.add(res);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write(`retry: 1000\n: connected at ${cursor}\n\n`);
    const send = (events: ReturnType<typeof presentFeedEvent>[]): void => {
      for (const e of events) if (e.seq > cursor) {
        res.write(`id: ${e.seq}\nevent: revocation\ndata: ${JSON.stringify(e)}\n\n`);
        cursor = e.seq;
      }
    };
    // Catch up from the client's cursor, then follow live.
    send((await ctx.storage.revocations.since(cursor, 1000)).filter((e) => published(e, ctx.now())).map(presentFeedEvent));
    const unsubscribe = watcher.subscribe((events) => send(events.filter((e) => published(e, ctx.now())).map(presentFeedEvent)));
    const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), HEARTBEAT_MS);
    const close = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
      open--;
    };
    request.raw.once("close", close);
  });
}
