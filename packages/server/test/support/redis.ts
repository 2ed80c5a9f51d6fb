// The real Redis the tests use (started on every machine before the suite), and key cleanup.
import { Redis } from "ioredis";

export const REDIS_URL = process.env.GATEHOUSE_TEST_REDIS ?? "redis://127.0.0.1:6379";

/** Deletes every key under `prefix` (each test run uses its own prefix). */
export async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}
