// One-time codes and login links by email and SMS, as Authgear's authgear.yaml names them:
//   authenticator.oob_otp.email.email_otp_mode (code | login_link), authenticator.oob_otp.sms.phone_otp_mode
//   (pkg/lib/config/authenticator.go); authentication.rate_limits.oob_otp.{email,sms}.* (trigger_per_ip,
//   trigger_per_user, trigger_cooldown, max_failed_attempts_revoke_otp, validate_per_ip;
//   authentication_rate_limits.go); messaging.sms_provider (twilio | custom; messaging.go) with the
//   credentials Authgear keeps in authgear.secrets.yaml under `sms.twilio` and `sms.custom`.
// Which of them are switched on is authentication.primary_authenticators / secondary_authenticators.
import { z } from "zod";
import { duration, rateLimit } from "./rate-limit.ts";

const limit = rateLimit;

const channelLimits = (what: string) =>
  z
    .object({
      trigger_per_ip: limit(60, "1m", `${what} sent per client IP.`),
      trigger_per_user: limit(10, "1h", `${what} sent to one address or number (per target).`),
      trigger_cooldown: duration.prefault("1m").describe("The wait before another code may be sent to the same target."),
      max_failed_attempts_revoke_otp: z.number().int().min(1).default(5).describe("Wrong guesses a code survives; then it is dead."),
      validate_per_ip: limit(60, "1m", "Code checks per client IP."),
    })
    .prefault({});

/** `authentication.rate_limits.oob_otp`, spread beside `general` and `signup`. */
export const oobOtpRateLimitsSchema = z
  .object({ email: channelLimits("Email codes and links"), sms: channelLimits("SMS codes") })
  .prefault({});

/** Top-level `authenticator`: only `oob_otp` is read here (Authgear's password/totp sections live elsewhere). */
export const authenticatorSchema = z
  .object({
    oob_otp: z
      .object({
        email: z
          .object({
            email_otp_mode: z.enum(["code", "login_link"]).default("code").describe("code: a 6-digit code to type; login_link: a link to open."),
            maximum: z.number().int().min(1).default(99),
          })
          .prefault({}),
        sms: z
          .object({
            // Only SMS is delivered here; whatsapp_sms falls back to SMS as Authgear does when WhatsApp is unavailable.
            phone_otp_mode: z.enum(["sms", "whatsapp_sms"]).default("sms").describe("sms (whatsapp_sms is accepted and sends SMS: there is no WhatsApp port)."),
            maximum: z.number().int().min(1).default(99),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

/** Fields spread into `messaging`: the SMS provider and its credentials. Unset provider: the local outbox. */
export const smsMessagingFields = {
  sms_provider: z.enum(["twilio", "custom"]).optional().describe("twilio or custom (a webhook you run). Unset: SMS go to the local outbox."),
  twilio: z
    .object({
      account_sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be a Twilio Account SID (AC + 32 hex digits)"),
      auth_token: z.string().min(1),
      message_service_sid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, "must be a Twilio Messaging Service SID (MG…)").optional(),
      from: z.string().regex(/^\+[1-9]\d{1,14}$/, "must be an E.164 number such as +15005550006").optional(),
    })
    .refine((t) => t.message_service_sid || t.from, "needs message_service_sid or from")
    .optional()
    .describe("Authgear's sms.twilio secret: account_sid, auth_token, message_service_sid (or a from number)."),
  custom_sms_provider: z
    .object({
      url: z.string().url().refine((u) => /^https?:/.test(u), "must be an http(s) URL"),
      timeout: z.number().int().min(1).max(60).default(10).describe("Seconds to wait for the webhook."),
      signing_secret: z.string().min(32).describe("HMAC-SHA256 key: the body's signature is sent in x-authgear-body-signature."),
    })
    .optional()
    .describe("Authgear's sms.custom secret (url, timeout), plus the key the request is signed with."),
};

export type OobOtpRateLimits = z.infer<typeof oobOtpRateLimitsSchema>;

interface Checked {
  messaging: { sms_provider?: "twilio" | "custom"; twilio?: unknown; custom_sms_provider?: unknown };
  identity: { login_id: { keys: { type: string }[] } };
  authentication: { primary_authenticators: string[]; secondary_authenticators: string[] };
}

/** Cross-field checks: a provider needs its credentials; an SMS or email factor needs that login-ID type. */
export function checkOobOtp(c: Checked, ctx: z.RefinementCtx): void {
  if (c.messaging.sms_provider === "twilio" && !c.messaging.twilio) {
    ctx.addIssue({ code: "custom", path: ["messaging", "twilio"], message: "sms_provider is twilio: account_sid, auth_token and message_service_sid (or from) are needed" });
  }
  if (c.messaging.sms_provider === "custom" && !c.messaging.custom_sms_provider) {
    ctx.addIssue({ code: "custom", path: ["messaging", "custom_sms_provider"], message: "sms_provider is custom: url and signing_secret are needed" });
  }
  const types = new Set(c.identity.login_id.keys.map((k) => k.type));
  c.authentication.primary_authenticators.forEach((a, i) => {
    const need = a === "oob_otp_email" ? "email" : a === "oob_otp_sms" ? "phone" : null;
    if (need && !types.has(need)) {
      ctx.addIssue({ code: "custom", path: ["authentication", "primary_authenticators", i], message: `${a} needs a login ID of type ${need} (identity.login_id.keys)` });
    }
  });
}
