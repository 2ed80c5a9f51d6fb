// SMS delivery behind one small port: Twilio, a webhook the operator runs (custom), or — with no
// provider configured — the local outbox that already holds the emails, so `gatehouse outbox` and
// /_dev/outbox show texts beside mail. Like email, a request never waits for delivery.
import type { Config } from "../../config/schema.ts";
import type { OutboxStore } from "../../storage/account-ports.ts";
import { twilioTransport } from "./twilio.ts";
import { customTransport } from "./custom-webhook.ts";

import type { SmsMessage, SmsTransport } from "./port.ts";

export type { SmsMessage, SmsTransport };

/** What the outbox shows as the subject of a text, so people tell texts from mail. */
export const SMS_OUTBOX_SUBJECT = "SMS";

export function outboxTransport(outbox: OutboxStore, now: () => number): SmsTransport {
  return {
    kind: "outbox",
    async send(m) {
      await outbox.append({ to: m.to, subject: SMS_OUTBOX_SUBJECT, text: m.body, html: "", createdAt: now() });
    },
  };
}

export function smsTransportFor(config: Config, outbox: OutboxStore, o: { now: () => number; fetch: typeof fetch }): SmsTransport {
  const m = config.messaging;
  if (m.sms_provider === "twilio" && m.twilio) return twilioTransport(m.twilio, o.fetch);
  if (m.sms_provider === "custom" && m.custom_sms_provider) return customTransport(m.custom_sms_provider, o.fetch);
  return outboxTransport(outbox, o.now);
}
