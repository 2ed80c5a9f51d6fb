// The SMS sender of a running server: one per Context, made on first use from its config. Sends
// run after the answer (the answer takes the same time whether a text went out or not); failures
// are logged without the text (it holds a code) and never reach the person.
import type { Context } from "../../context.ts";
import { smsTransportFor, type SmsMessage, type SmsTransport } from "./transport.ts";

export interface SmsQueue {
  transport: SmsTransport;
  queue(message: SmsMessage): void;
  /** Resolves when every queued text has been handed over (tests, shutdown). */
  idle(): Promise<void>;
}

const queues = new WeakMap<Context, SmsQueue>();

export function smsFor(ctx: Context): SmsQueue {
  let q = queues.get(ctx);
  if (q) return q;
  const transport = smsTransportFor(ctx.config, ctx.storage.outbox, { now: () => ctx.now(), fetch: ctx.upstreamFetch ?? fetch });
  const inFlight = new Set<Promise<void>>();
  q = {
    transport,
    queue(message) {
      const p = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => transport.send(message))
        .catch((err: unknown) => {
          console.error(`sms: delivery to ${message.to.slice(0, 4)}… failed: ${(err as Error).message}`);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
  queues.set(ctx, q);
  return q;
}
