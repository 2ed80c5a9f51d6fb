// The revocation feed for backends that verify JWTs locally: a polling form with a cursor, and a
// server-sent-events stream. Both are public; they publish only hashes (present.ts).
//
// Stream slots are finite (each holds a socket and a listener), so they are shared out: a slot is
// taken only once the catch-up read has succeeded (a failed read holds nothing), each IP may hold
// a few, and part of the pool is kept for verifiers that present an admin API key, so anonymous
// subscribers cannot crowd out the backends that need the feed.
import type { Context } from "../context.ts";
import { checkAdminKey } from "../admin/keys.ts";
import { bearerToken } from "../session/caller.ts";
import { jsonResponse } from "../edge/responses.ts";
import type { EdgeRequest, EdgeResponse, Handler } from "../edge/types.ts";
import { presentFeedEvent, published, type FeedEvent } from "./present.ts";
import type { RevocationWatcher } from "./watcher.ts";

const HEARTBEAT_MS = 15000;
export const STREAM_LIMITS = { total: 1000, anonymous: 800, perIp: 8 };

const cursorParam = (value: unknown): number | null => (typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : null);
const full = (status: 429 | 503, description: string): EdgeResponse =>
  jsonResponse(status, { error: "temporarily_unavailable", error_description: description }, { "retry-after": "10" });

export function revocationFeedEndpoints(ctx: Context, watcher: RevocationWatcher, limits = STREAM_LIMITS): { poll: Handler; stream: Handler; openStreams(): number } {
  let open = 0;
  let anonymous = 0;
  const byIp = new Map<string, number>();

  async function keyed(request: EdgeRequest): Promise<boolean> {
    const header = request.headers.authorization;
    const token = header ? bearerToken(header) : null;
    return token !== null && (await checkAdminKey(ctx, token)) !== null;
  }

  /** Why a new stream cannot be had now, or null. */
  function refusal(withKey: boolean, ip: string): EdgeResponse | null {
    if (open >= limits.total) return full(503, "too many feed subscribers");
    if (withKey) return null;
    if (anonymous >= limits.anonymous) return full(503, "too many feed subscribers without a key");
    if ((byIp.get(ip) ?? 0) >= limits.perIp) return full(429, "too many feed subscriptions from this address");
    return null;
  }

  return {
    async poll(request) {
      const q = request.query();
      const after = cursorParam(q.after) ?? 0;
      const limit = typeof q.limit === "string" && /^\d{1,4}$/.test(q.limit) ? Math.min(1000, Math.max(1, Number(q.limit))) : 500;
      const events = (await ctx.storage.revocations.since(after, limit)).filter((e) => published(e, ctx.now())).map(presentFeedEvent);
      const cursor = events.length ? events[events.length - 1].seq : after;
      return jsonResponse(200, { events, cursor, latest: watcher.latestSeq() });
    },

    async stream(request) {
      const withKey = await keyed(request);
      const ip = request.client.ip;
      const early = refusal(withKey, ip);
      if (early) return early;
      const q = request.query();
      let cursor = cursorParam(request.headers["last-event-id"]) ?? cursorParam(q.after) ?? watcher.latestSeq();
      // Catch up from the client's cursor first; if this read fails, no slot was taken.
      const backlog = (await ctx.storage.revocations.since(cursor, 1000)).filter((e) => published(e, ctx.now())).map(presentFeedEvent);
      const late = refusal(withKey, ip);
      if (late) return late;
      const head = `retry: 1000\n: connected at ${cursor}\n\n`;
      return {
        status: 200,
        headers: { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" },
        body: head,
        stream: {
          start(write) {
            open++;
            if (!withKey) {
              anonymous++;
              byIp.set(ip, (byIp.get(ip) ?? 0) + 1);
            }
            const send = (events: FeedEvent[]): void => {
              for (const e of events) if (e.seq > cursor) {
                write(`id: ${e.seq}\nevent: revocation\ndata: ${JSON.stringify(e)}\n\n`);
                cursor = e.seq;
              }
            };
            send(backlog);
            const unsubscribe = watcher.subscribe((events) => send(events.filter((e) => published(e, ctx.now())).map(presentFeedEvent)));
            const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
            return () => {
              clearInterval(heartbeat);
              unsubscribe();
              open--;
              if (!withKey) {
                anonymous--;
                const left = (byIp.get(ip) ?? 1) - 1;
                if (left > 0) byIp.set(ip, left);
                else byIp.delete(ip);
              }
            };
          },
        },
      };
    },

    openStreams: () => open,
  };
}
