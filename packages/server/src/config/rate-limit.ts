// Authgear's duration strings and rate-limit shape, used by every section that configures a limit.
import { z } from "zod";

/** A Go-style duration as Authgear writes them ("30s", "1m", "1h30m", "24h"), in seconds. */
export const duration = z
  .string()
  .regex(/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/, 'must be a duration such as "30s", "1m" or "24h"')
  .transform((s) => {
    const part = (unit: string): number => Number(new RegExp(`(\\d+)${unit}`).exec(s)?.[1] ?? 0);
    return part("h") * 3600 + part("m") * 60 + part("s");
  })
  .refine((n) => n > 0, "must be longer than zero");

/** Authgear's rate limit shape: `burst` operations, refilled `period` after the first one. */
export const rateLimit = (burst: number, period: string, what: string) =>
  z
    .object({
      enabled: z.boolean().default(true),
      period: duration.prefault(period),
      burst: z.number().int().min(1).default(burst),
    })
    .prefault({})
    .describe(what);
