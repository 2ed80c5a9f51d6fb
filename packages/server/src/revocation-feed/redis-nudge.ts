// With `redis.url` set, a node that appends to the revocation log tells the other nodes at once over
// Redis pub/sub, and they read the log now instead of at their next poll: a revocation reaches every
// node's cache (and every backend following the feed) in milliseconds rather than up to a poll
// interval. The message carries nothing but the sender: the log in the database stays the one
// record, so a node that misses a nudge while Redis is away still reads the event at its next poll.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

export interface Nudges {
  /** This node's id (the subscriber connection is named `gatehouse-nudges-<id>`). */
  readonly id: string;
  /** Tells the other nodes to read the log now. */
  publish(): void;
  /** Called when another node published. */
  onNudge(listener: () => void): void;
  close(): Promise<void>;
}

export async function redisNudges(redis: Redis, channel: string): Promise<Nudges> {
  const self = randomUUID();
  // A connection in subscriber mode can do nothing else: it gets its own, named for CLIENT LIST.
  const subscriber = redis.duplicate({ connectionName: `gatehouse-nudges-${self}` });
  subscriber.on("error", () => {});
  await subscriber.connect();
  await subscriber.subscribe(channel);
  const listeners: (() => void)[] = [];
  subscriber.on("message", (from: string, message: string) => {
    if (from === channel && message !== self) for (const listener of listeners) listener();
  });
  return {
    id: self,
    publish() {
      // Best effort: the poll is the guarantee.
      redis.publish(channel, self).catch(() => undefined);
    },
    onNudge(listener) {
      listeners.push(listener);
    },
    async close() {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
