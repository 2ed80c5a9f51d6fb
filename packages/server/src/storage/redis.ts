// The Redis connection for state several nodes share. Commands fail at once while it is down
// (no offline queue, one retry) so that a request never waits on a reconnect; ioredis keeps
// reconnecting in the background.
import { Redis } from "ioredis";
import { ConfigError } from "../config/load.ts";

export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 1000,
  });
  // Without a listener ioredis reports every reconnect attempt as an unhandled error event; the
  // callers report the failures that matter (a command that could not run).
  let lastError: Error | undefined;
  redis.on("error", (err: Error) => { lastError = err; });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    // ioredis rejects with "Connection is closed"; the error event before it says why.
    throw new ConfigError(`redis.url: cannot connect to ${redactedUrl(url)}: ${(lastError ?? (err as Error)).message}`);
  }
  return redis;
}

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
