// The custom SMS provider (Authgear's `sms.custom`): a POST of JSON {to, body} to a URL the operator
// runs, which hands the text to whatever gateway they use. Like Authgear's webhooks, the body is
// signed: x-authgear-body-signature is the hex HMAC-SHA256 of the exact body bytes, so the receiver
// can refuse requests that did not come from us. Any 2xx is success.
import { createHmac } from "node:crypto";
import { SmsDeliveryError, type SmsMessage, type SmsTransport } from "./port.ts";

export const SIGNATURE_HEADER = "x-authgear-body-signature";

export function signBody(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

export function customTransport(c: { url: string; timeout: number; signing_secret: string }, fetchFn: typeof fetch): SmsTransport {
  return {
    kind: "custom",
    async send(m: SmsMessage): Promise<void> {
      const body = JSON.stringify({ to: m.to, body: m.body });
      const res = await fetchFn(c.url, {
        method: "POST",
        headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signBody(c.signing_secret, body) },
        body,
        signal: AbortSignal.timeout(c.timeout * 1000),
      });
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) throw new SmsDeliveryError(`the SMS webhook answered HTTP ${res.status}`);
    },
  };
}
