// Twilio's Messages API (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
// POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP Basic auth with
// the Account SID and Auth Token, a form-encoded body with To, Body and either MessagingServiceSid
// or From. 201 Created on success; otherwise a JSON error {code, message, more_info, status}.
import { SmsDeliveryError, type SmsMessage, type SmsTransport } from "./port.ts";

export const TWILIO_API = "https://api.twilio.com";

export interface TwilioCredentials {
  account_sid: string;
  auth_token: string;
  message_service_sid?: string;
  from?: string;
}

export function twilioTransport(creds: TwilioCredentials, fetchFn: typeof fetch, options: { timeoutMs?: number } = {}): SmsTransport {
  const url = `${TWILIO_API}/2010-04-01/Accounts/${encodeURIComponent(creds.account_sid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${creds.account_sid}:${creds.auth_token}`).toString("base64")}`;
  return {
    kind: "twilio",
    async send(m: SmsMessage): Promise<void> {
      const body = new URLSearchParams({ To: m.to, Body: m.body });
      // A Messaging Service picks the sender itself; Twilio wants one or the other.
      if (creds.message_service_sid) body.set("MessagingServiceSid", creds.message_service_sid);
      else body.set("From", creds.from!);
      const res = await fetchFn(url, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: body.toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (res.status === 201 || res.status === 200) {
        await res.body?.cancel();
        return;
      }
      // Twilio's error body names the problem (e.g. 21211 invalid To); never the credentials.
      const detail = await res.json().then((j: { code?: unknown; message?: unknown }) => `${String(j.code ?? "")} ${String(j.message ?? "")}`.trim(), () => "");
      throw new SmsDeliveryError(`Twilio refused the message: HTTP ${res.status}${detail ? ` (${detail})` : ""}`);
    },
  };
}
