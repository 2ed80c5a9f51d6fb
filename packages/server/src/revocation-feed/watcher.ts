// Follows the revocation log in storage, so that every node — and every backend subscribed to the
// feed through any node — hears of revocations made on any node. Polling the log is cheap (an
// indexed range scan) and needs nothing but the shared database.
import type { Context } from "../context.ts";
import type { RevocationEvent } from "../domain/revocation.ts";
import type { Nudges } from "./redis-nudge.ts";

export type FeedListener = (events: RevocationEvent[]) => void;

export interface RevocationWatcher {
  latestSeq(): number;
  subscribe(listener: FeedListener): () => void;
  /** Polls once now (also runs on a timer). */
  poll(): Promise<void>;
  stop(): void;
}

export async function startRevocationWatcher(ctx: Context, options: { intervalMs: number; nudges?: Nudges }): Promise<RevocationWatcher> {
  let seq = await ctx.storage.revocations.latestSeq();
  const listeners = new Set<FeedListener>();
  let running: Promise<void> | null = null;

  async function pollOnce(): Promise<void> {
    for (;;) {
      const events = await ctx.storage.revocations.since(seq, 500);
      if (events.length === 0) return;
      seq = events[events.length - 1].seq;
      // How far behind the log this node is: the newest event's age as it is read here.
      ctx.metrics.revocationSeen(events[events.length - 1].at);
      for (const listener of listeners) listener(events);
    }
  }
  // A poll asked for while one is running gets a pass of its own after it: the running one may have
  // read the log before the event it was asked for was written.
  let again = false;
  const poll = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pollOnce();
      } while (again);
    })().finally(() => { running = null; });
    return running;
  };
  const timer = setInterval(() => { poll().catch(() => undefined); }, options.intervalMs);
  timer.unref();
  // Expired events are deleted by the one sweeper (maintenance/sweeper.ts).
  // Local revocations are published at once rather than at the next tick (the event is in the log
  // by the time listeners hear of it), and other nodes are nudged to read the log now.
  // A cascade tells listeners of each session and grant it ended, synchronously: one poll and one
  // nudge per batch (a user with 1,000 sessions must not send 1,000 nudges), after the batch.
  let pending = false;
  const onLocal = (): void => {
    if (pending) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      poll().catch(() => undefined);
      options.nudges?.publish();
    });
  };
  ctx.revocationListeners.add(onLocal);
  options.nudges?.onNudge(() => { poll().catch(() => undefined); });
  return {
    latestSeq: () => seq,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    poll,
    stop() {
      clearInterval(timer);
      ctx.revocationListeners.delete(onLocal);
    },
  };
}
