// Queues an email unless the per-address or per-IP sending limit is spent (mail bombing).
import type { Context } from "../../context.ts";
import { normalizeEmail } from "../../storage/rows.ts";
import { accountLimits } from "../limits/buckets.ts";
import type { MailMessage } from "./message.ts";

/** Sends after the answer: a job may first do the work only a real account needs (see reset/service.ts). */
export function queueEmail(ctx: Context, message: MailMessage | (() => Promise<MailMessage | null>), options: { ip: string }): void {
  ctx.mailer.queue(async () => {
    const m = typeof message === "function" ? await message() : message;
    if (!m) return null;
    const limits = accountLimits(ctx.config);
    const now = ctx.now();
    if (!(await ctx.rateLimiter.take(limits.emailPerTarget, normalizeEmail(m.to), now)).ok) return null;
    if (!(await ctx.rateLimiter.take(limits.emailPerIp, options.ip, now)).ok) return null;
    return m;
  });
}
