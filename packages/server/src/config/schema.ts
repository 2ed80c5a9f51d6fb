// One typed schema for gatehouse.yaml. Field names follow Authgear's authgear.yaml so that
// an Authgear config can be carried over; defaults are Authgear's unless noted.
import { z } from "zod";
import { tokenLifetimeFields } from "./token-lifetimes.ts";
import { BUILT_IN_LANGUAGES } from "../account/messages/languages.ts";
import { accountLinkingSchema, checkProviders, oauthProvidersSchema } from "./oauth-providers.ts";
import { userProfileSchema } from "./user-profile.ts";
import { loginIdSchema, phoneInputSchema } from "./identity.ts";
import { deviceKeyIdentityFields, preAuthenticatedUrlClientFields } from "./device-keys.ts";
import { authenticatorFields } from "./authenticators.ts";
import { rateLimit } from "./rate-limit.ts";
import { accountDeletionSchema } from "./account-deletion.ts";
import { adminApiFields } from "./admin-api.ts";
import { authenticatorSchema, checkOobOtp, oobOtpRateLimitsSchema, smsMessagingFields } from "./oob-otp.ts";
import { hookSchema } from "./hook.ts";

const absoluteUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol.length > 1 && !u.hash;
  } catch {
    return false;
  }
}, "must be an absolute URL without a fragment");


const languageTag = z.enum(BUILT_IN_LANGUAGES, { error: () => `must be one of the built-in languages: ${BUILT_IN_LANGUAGES.join(", ")}` });
const cssColor = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour such as "#2456d3"');
/** A file next to the config (or absolute), read once at start-up and served from our own origin. */
const assetFile = (extensions: RegExp, what: string) =>
  z.string().min(1).regex(extensions, `must be a ${what} file`);

/** Authgear's `localization` section: which catalogues pages and emails may use, and the default. */
const localizationSchema = z
  .object({
    supported_languages: z.array(languageTag).min(1).default([...BUILT_IN_LANGUAGES])
      .describe("Languages hosted pages and emails may be shown in, chosen by ui_locales, then the ui_locales cookie, then Accept-Language."),
    fallback_language: languageTag.default("en").describe("The language when nothing the browser or app asks for is supported."),
  })
  .superRefine((l, ctx) => {
    if (!l.supported_languages.includes(l.fallback_language)) {
      ctx.addIssue({ code: "custom", path: ["fallback_language"], message: "must be one of supported_languages" });
    }
  })
  .prefault({});

/**
 * The hosted pages' look. Authgear's names where it has them (dark_theme_disabled, light_theme_disabled);
 * the rest live in Authgear's theme resources, so they are Gatehouse's own fields here.
 */
const uiSchema = z
  .object({
    app_name: z.string().min(1).max(100).optional().describe("Shown above the forms and in page titles (default: Gatehouse)."),
    logo_file: assetFile(/\.(png|jpe?g|gif|webp|svg)$/i, "PNG, JPEG, GIF, WebP or SVG").optional()
      .describe("Logo above the forms, read at start-up and served as /_gatehouse/logo (so the CSP needs no other origin)."),
    favicon_file: assetFile(/\.(png|ico|svg)$/i, "PNG, ICO or SVG").optional()
      .describe("Favicon of every hosted page, served as /favicon.ico and /_gatehouse/favicon (default: Gatehouse's)."),
    custom_css_file: assetFile(/\.css$/i, "CSS").optional()
      .describe("A stylesheet loaded after the built-in ones on every hosted page, served from /_gatehouse/theme.css."),
    primary_color: cssColor.optional().describe("Buttons, links and focus rings in the light theme (default #2456d3)."),
    primary_color_dark: cssColor.optional().describe("The same in the dark theme (default: a lighter blue, or primary_color when set)."),
    dark_theme_disabled: z.boolean().default(false).describe("Always light, whatever the browser or x_color_scheme asks."),
    light_theme_disabled: z.boolean().default(false).describe("Always dark, whatever the browser or x_color_scheme asks."),
    phone_input: phoneInputSchema,
  })
  .superRefine((u, ctx) => {
    if (u.dark_theme_disabled && u.light_theme_disabled) {
      ctx.addIssue({ code: "custom", path: ["light_theme_disabled"], message: "cannot be true together with dark_theme_disabled" });
    }
  })
  .prefault({});

export type RateLimitConfig = { enabled: boolean; period: number; burst: number };

export const applicationTypes = ["spa", "traditional_webapp", "native", "confidential", "third_party_app"] as const;
export type ApplicationType = (typeof applicationTypes)[number];

const clientSchema = z
  .object({
    client_id: z.string().min(1).max(200).describe("The OAuth client_id apps send."),
    name: z.string().default("").describe("Shown on the login page."),
    x_application_type: z.enum(applicationTypes).default("spa"),
    client_secret: z.string().min(16).optional().describe("Secret for confidential types (or use client_secrets)."),
    client_secrets: z.array(z.string().min(16)).optional().describe("Several secrets, for rotation."),
    redirect_uris: z.array(absoluteUrl).default([]),
    post_logout_redirect_uris: z.array(absoluteUrl).default([]),
    // The same fields (and bounds) as the admin API's client PATCH: see token-lifetimes.ts.
    access_token_lifetime_seconds: tokenLifetimeFields.access_token_lifetime_seconds.default(1800),
    refresh_token_lifetime_seconds: tokenLifetimeFields.refresh_token_lifetime_seconds.default(31449600),
    refresh_token_idle_timeout_enabled: tokenLifetimeFields.refresh_token_idle_timeout_enabled.default(true),
    refresh_token_idle_timeout_seconds: tokenLifetimeFields.refresh_token_idle_timeout_seconds.default(2592000),
    refresh_token_rotation_enabled: tokenLifetimeFields.refresh_token_rotation_enabled.default(false),
    refresh_token_rotation_grace_period_seconds: tokenLifetimeFields.refresh_token_rotation_grace_period_seconds.default(10),
    issue_jwt_access_token: z.boolean().default(true).describe("Gatehouse always issues JWTs; kept for compatibility."),
    ...preAuthenticatedUrlClientFields,
  })
  .superRefine((c, ctx) => {
    const confidential = c.x_application_type === "confidential" || c.x_application_type === "third_party_app";
    const hasSecret = Boolean(c.client_secret) || (c.client_secrets?.length ?? 0) > 0;
    if (confidential && !hasSecret) {
      ctx.addIssue({ code: "custom", path: ["client_secret"], message: `required for x_application_type ${c.x_application_type}` });
    }
    if (!confidential && hasSecret) {
      ctx.addIssue({ code: "custom", path: ["client_secret"], message: "only confidential clients have secrets" });
    }
    for (const field of ["redirect_uris", "post_logout_redirect_uris"] as const) {
      c[field].forEach((uri, i) => {
        const problem = redirectUriProblem(uri, c.x_application_type);
        if (problem) ctx.addIssue({ code: "custom", path: [field, i], message: problem });
      });
    }
  });

/**
 * `localhost:4000/cb` parses as a URL with the scheme `localhost:`, so it passes as absolute yet no
 * browser would ever be sent there. Web clients redirect to http(s) only; custom schemes
 * (`com.example.app:/cb`, RFC 8252 §7.1) are for native apps.
 */
function redirectUriProblem(uri: string, type: ApplicationType): string | null {
  const scheme = uri.slice(0, uri.indexOf(":"));
  if (/^[^:/?#]+:\d+(?:[/?#]|$)/.test(uri)) {
    return `${JSON.stringify(uri)} has no scheme ("${scheme}:" is read as one); write http://${uri} or https://${uri}`;
  }
  if (type !== "native" && scheme !== "http" && scheme !== "https") {
    return `must start with http:// or https:// for x_application_type ${type} (custom schemes such as ${scheme}: are for native clients)`;
  }
  return null;
}

export const configSchema = z
  .object({
    ...adminApiFields,
    http: z
      .object({
        public_origin: absoluteUrl.default("http://localhost:3000").describe("Issuer; the origin apps reach us at."),
        listen: z.string().regex(/^[^:]*:\d+$/, "must be host:port").default("0.0.0.0:3000"),
        cookie_domain: z.string().optional().describe("Domain of the session cookie; derived from public_origin if unset."),
        trust_proxy: z.boolean().default(false).describe("Trust X-Forwarded-* headers for the client IP."),
      })
      .prefault({}),
    log: z
      .object({
        level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info").describe("The lowest level written to the log (JSON lines on stdout)."),
        requests: z.enum(["all", "errors", "none"]).default("all").describe("The access log: every request, only those answered with a 5xx, or none."),
      })
      .prefault({}),
    database: z
      .object({
        url: z.string().default("sqlite:./data/gatehouse.db").describe("sqlite:PATH or postgres://…"),
        // Gatehouse's own fields (PostgreSQL only): a database that stalls must not hang requests.
        // A request that hits one of these limits is answered 503 temporarily_unavailable.
        connect_timeout_ms: z.number().int().min(100).max(60_000).default(2000)
          .describe("PostgreSQL: longest wait for a new connection or a free pooled one."),
        query_timeout_ms: z.number().int().min(100).max(300_000).default(5000)
          .describe("PostgreSQL: longest wait for a query's answer; the connection is then dropped."),
        statement_timeout_ms: z.number().int().min(100).max(300_000).default(4000)
          .describe("PostgreSQL statement_timeout: the server cancels a statement running longer (keep it below query_timeout_ms)."),
        idle_in_transaction_timeout_ms: z.number().int().min(100).max(300_000).default(3000)
          .describe("PostgreSQL idle_in_transaction_session_timeout: the server ends a session whose transaction waits longer for its next statement, rolling it back (keep it below query_timeout_ms, so a client that gave up never has its transaction committed later)."),
        keepalive: z.boolean().default(true).describe("PostgreSQL: TCP keepalive on database connections, so a vanished server is noticed."),
        pool_max: z.number().int().min(1).max(1000).default(10).describe("PostgreSQL: connections per Gatehouse process."),
      })
      .superRefine((d, ctx) => {
        for (const key of ["statement_timeout_ms", "idle_in_transaction_timeout_ms"] as const) {
          if (d[key] >= d.query_timeout_ms) ctx.addIssue({ code: "custom", path: [key], message: "must be below query_timeout_ms" });
        }
      })
      .prefault({}),
    redis: z
      .object({
        url: z.string().regex(/^rediss?:\/\/[^\s]+$/, "must be a redis:// or rediss:// URL").optional()
          .describe("Shared state for several nodes (rate limits, revocation nudges). Unset: kept in each process."),
        key_prefix: z.string().min(1).max(64).default("gatehouse:").describe("Prepended to every key, so deployments can share a Redis."),
      })
      .prefault({}),
    metrics: z
      .object({
        listen: z.string().regex(/^[^:]*:\d+$/, "must be host:port").optional()
          .describe("Serve GET /metrics (Prometheus text) on this separate address, e.g. 127.0.0.1:9464. Unset: not served there."),
        bearer_token: z.string().min(16).optional()
          .describe("Serve GET /metrics on the main listener to requests with `Authorization: Bearer <this>`. Unset: not served there."),
      })
      .prefault({})
      .describe("Metrics are never served without one of these: they describe traffic and accounts."),
    session: z
      .object({
        lifetime_seconds: z.number().int().min(60).default(31449600),
        idle_timeout_enabled: z.boolean().default(true),
        idle_timeout_seconds: z.number().int().min(60).default(2592000),
        cookie_name: z.string().regex(/^[A-Za-z0-9_-]+$/).default("session"),
      })
      .prefault({}),
    oauth: z
      .object({
        clients: z.array(clientSchema).default([]),
        rate_limits: z
          .object({
            token_per_ip: rateLimit(120, "1m", "Requests to /oauth2/token per client IP (429 slow_down beyond it)."),
            authorize_per_ip: rateLimit(60, "1m", "Pending sign-ins (GET /oauth2/authorize without a session) created per client IP."),
          })
          .prefault({}),
      })
      .prefault({}),
    account_linking: accountLinkingSchema,
    messaging: z
      .object({
        smtp: z
          .object({
            host: z.string().optional().describe("SMTP server. Unset: messages go to the local outbox (`gatehouse outbox`)."),
            port: z.number().int().min(1).max(65535).default(587),
            secure: z.boolean().default(false).describe("TLS from the first byte (port 465); otherwise STARTTLS when offered."),
            user: z.string().optional(),
            password: z.string().optional(),
            from: z.string().default("Gatehouse <no-reply@localhost>").describe("The From header of every message."),
          })
          .prefault({}),
        ...smsMessagingFields,
        dev_outbox_page: z.boolean().default(false).describe("Serve /_dev/outbox listing the local outbox. Development only: it shows codes."),
      })
      .prefault({}),
    localization: localizationSchema,
    identity: z.object({ login_id: loginIdSchema, oauth: oauthProvidersSchema, ...deviceKeyIdentityFields }).prefault({}),
    ui: uiSchema,
    authenticator: authenticatorSchema,
    verification: z
      .object({
        required: z.boolean().default(false).describe("Sign-up and login cannot finish until the email is verified."),
      })
      .prefault({}),
    authentication: z
      .object({
        ...authenticatorFields,
        password_hash: z
          .object({
            // OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
            memory_kib: z.number().int().min(8192).default(19456),
            iterations: z.number().int().min(1).default(2),
            parallelism: z.number().int().min(1).default(1),
          })
          .prefault({}),
        password_policy: z
          .object({
            // NIST SP 800-63B §5.1.1.2: at least 8 characters; the floor is not configurable below that.
            min_length: z.number().int().min(8).max(256).default(8),
            uppercase_required: z.boolean().default(false),
            lowercase_required: z.boolean().default(false),
            digit_required: z.boolean().default(false),
            symbol_required: z.boolean().default(false),
            excluded_keywords: z.array(z.string().min(1)).default([]).describe("Passwords containing any of these (case-insensitive) are refused."),
            minimum_guessable_level: z.number().int().min(0).max(4).default(0).describe("zxcvbn score a password must reach (1-4); 0 turns the check off."),
            history_size: z.number().int().min(0).max(50).default(0).describe("A new password may not be any of the user's last N passwords; 0 turns this off."),
            history_days: z.number().int().min(0).max(3650).default(0).describe("Nor one the user set within the last N days; 0 turns this off."),
            x_exclude_common_passwords: z.boolean().default(true).describe("Refuse the 10,000 most common passwords (case-insensitive; the list ships with @zxcvbn-ts/language-common). Gatehouse's own field: Authgear has none."),
          })
          .prefault({}),
        lockout: z
          .object({
            max_attempts: z.number().int().min(1).default(6).describe("Failed password/TOTP/recovery-code attempts before the account locks."),
            history_duration_seconds: z.number().int().min(1).default(300).describe("Failures are forgotten this long after the last one."),
            minimum_duration_seconds: z.number().int().min(1).default(300).describe("The first lock's length."),
            maximum_duration_seconds: z.number().int().min(1).default(3600).describe("No lock is longer than this."),
            backoff_factor: z.number().min(1).default(2).describe("Each further failure multiplies the lock by this."),
            lockout_type: z.enum(["per_user", "per_user_per_ip"]).default("per_user"),
          })
          .prefault({}),
        rate_limits: z
          .object({
            general: z
              .object({
                per_ip: rateLimit(60, "1m", "Failed credential checks (password, TOTP, recovery code, emailed codes) per IP."),
                per_user_per_ip: rateLimit(10, "1m", "Failed credential checks per account and IP."),
              })
              .prefault({}),
            signup: z.object({ per_ip: rateLimit(10, "1m", "Sign-ups per IP.") }).prefault({}),
            oob_otp: oobOtpRateLimitsSchema,
          })
          .prefault({}),
      })
      .prefault({}),
    account_deletion: accountDeletionSchema,
    hook: hookSchema.describe("Webhooks and blocking hooks, as Authgear's `hook` section (docs/hooks.md)."),
    user_profile: userProfileSchema.describe("Standard and custom attributes and who may read or write them (Authgear's user_profile)."),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.oauth.clients.forEach((client, i) => {
      if (seen.has(client.client_id)) {
        ctx.addIssue({ code: "custom", path: ["oauth", "clients", i, "client_id"], message: "duplicate client_id" });
      }
      seen.add(client.client_id);
    });
    checkProviders(c, ctx);
    checkOobOtp(c, ctx);
  });

export type Config = z.infer<typeof configSchema>;
export type ClientConfig = z.infer<typeof clientSchema>;
