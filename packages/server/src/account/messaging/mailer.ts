// Email delivery behind a small port: SMTP when `messaging.smtp.host` is set, otherwise the local
// outbox table (the embedded default: no mail server needed; `gatehouse outbox` prints it).
// Requests never wait for delivery: `queue` returns at once, so a reset for an unknown address
// and one for a real account take the same time to answer.
import type { Config } from "../../config/schema.ts";
import type { OutboxStore } from "../../storage/account-ports.ts";
import { createSmtpTransport } from "./smtp.ts";

import type { MailMessage } from "./message.ts";

export type MailJob = () => Promise<MailMessage | null>;

export interface Mailer {
  readonly kind: "smtp" | "outbox";
  send(message: MailMessage): Promise<void>;
  /**
   * Sends in the background; failures go to `onError`, never to the caller. A job (a function)
   * runs in the background too and sends what it returns, if anything.
   */
  queue(message: MailMessage | MailJob): void;
  /** Resolves when every queued message has been handed over (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function createMailer(config: Config, outbox: OutboxStore, options: { now: () => number; onError: (err: unknown) => void }): Mailer {
  const smtp = config.messaging.smtp.host ? createSmtpTransport(config.messaging.smtp) : null;
  const inFlight = new Set<Promise<void>>();
  const send = async (m: MailMessage): Promise<void> => {
    if (smtp) await smtp.send(m);
    else await outbox.append({ ...m, createdAt: options.now() });
  };
  return {
    kind: smtp ? "smtp" : "outbox",
    send,
    queue(m) {
      // Not even the first synchronous slice of the send runs inside the request: its answer
      // must take the same time whether or not an email went out.
      const p = new Promise<void>((resolve) => setImmediate(resolve))
        .then(async () => {
          const message = typeof m === "function" ? await m() : m;
          if (message) await send(message);
        })
        .catch(options.onError)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      smtp?.close();
    },
  };
}
