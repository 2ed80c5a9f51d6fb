// Revocation nudges over real Redis: other nodes hear them, the sender does not, and a node whose
// subscriber connection drops hears nudges again once ioredis has reconnected and resubscribed.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { connectRedis } from "../../src/storage/redis.ts";
import { redisNudges, type Nudges } from "../../src/revocation-feed/redis-nudge.ts";
import { REDIS_URL } from "../support/redis.ts";

const channel = `gh-test-${randomBytes(6).toString("hex")}:revocations`;
const opened: { redis: Redis; nudges: Nudges }[] = [];

async function node(): Promise<{ redis: Redis; nudges: Nudges; heard: () => number }> {
  const redis = await connectRedis(REDIS_URL);
  const nudges = await redisNudges(redis, channel);
  let count = 0;
  nudges.onNudge(() => { count++; });
  opened.push({ redis, nudges });
  return { redis, nudges, heard: () => count };
}

async function eventually(check: () => boolean, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) assert.fail("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

after(async () => {
  for (const o of opened) {
    await o.nudges.close();
    await o.redis.quit();
  }
});

describe("revocation nudges through Redis", () => {
  it("reach the other nodes, not the sender", async () => {
    const [a, b, c] = [await node(), await node(), await node()];
    a.nudges.publish();
    await eventually(() => b.heard() === 1 && c.heard() === 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(a.heard(), 0);
  });

  it("are heard again after the subscriber connection was cut", async () => {
    const [a, b] = [await node(), await node()];
    const list = await a.redis.client("LIST") as string;
    const line = list.split("\n").find((l) => l.includes(`name=gatehouse-nudges-${b.nudges.id}`));
    assert.ok(line, "the subscriber connection is named");
    await a.redis.client("KILL", "ID", /\bid=(\d+)/.exec(line)![1]);
    let before = b.heard();
    // Publish until the reconnected subscriber hears one (ioredis reconnects within ~50 ms + backoff).
    await eventually(() => {
      a.nudges.publish();
      return b.heard() > before;
    }, 5000);
    // Let the nudges still in flight from that loop arrive, then exactly one more.
    await new Promise((r) => setTimeout(r, 200));
    before = b.heard();
    a.nudges.publish();
    await eventually(() => b.heard() === before + 1);
  });
});
