// The SMS port: one message, one transport (Twilio, the custom webhook, or the local outbox).
export interface SmsMessage {
  /** E.164. */
  to: string;
  body: string;
}

export interface SmsTransport {
  readonly kind: "twilio" | "custom" | "outbox";
  send(message: SmsMessage): Promise<void>;
}

export class SmsDeliveryError extends Error {}
