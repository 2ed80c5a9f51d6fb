// Authgear's `hook` section (pkg/lib/config/hook.go): blocking handlers (one event each) and
// non-blocking handlers (a list of events, or "*"), with Authgear's timeouts. The `x_` fields are
// Gatehouse's own: the signing secret (Authgear keeps it in authgear.secrets.yaml under `webhook`,
// which the secrets file may still supply) and the outbox's retry policy.
import { z } from "zod";

export const BLOCKING_EVENTS = [
  "user.pre_create", "user.profile.pre_update", "user.pre_schedule_deletion", "user.pre_schedule_anonymization",
  "oidc.jwt.pre_create", "oidc.id_token.pre_create",
  "authentication.pre_initialize", "authentication.post_identified", "authentication.pre_authenticated",
] as const;

/**
 * Authgear's blocking events with no call site here yet: refused in the config with that said, so a
 * handler is never configured in the belief that it guards something.
 */
const NOT_CALLED: ReadonlySet<string> = new Set(["authentication.pre_initialize", "authentication.post_identified", "authentication.pre_authenticated", "user.pre_schedule_anonymization"]);

export const NON_BLOCKING_EVENTS = [
  "user.created", "user.authenticated", "user.reauthenticated", "user.profile.updated", "user.disabled", "user.reenabled",
  "user.anonymous.promoted", "user.deletion_scheduled", "user.deletion_unscheduled", "user.deleted",
  "user.anonymization_scheduled", "user.anonymization_unscheduled", "user.anonymized",
  "identity.email.added", "identity.email.removed", "identity.email.updated",
  "identity.phone.added", "identity.phone.removed", "identity.phone.updated",
  "identity.username.added", "identity.username.removed", "identity.username.updated",
  "identity.oauth.connected", "identity.oauth.disconnected", "identity.biometric.enabled", "identity.biometric.disabled",
] as const;

/**
 * Events Authgear records only in its audit log (ForHook() false), which Gatehouse also delivers to
 * handlers that name them. "*" does not include them: a receiver written for Authgear subscribed to
 * "*" sees exactly the types Authgear would send it.
 */
export const EXTENSION_EVENTS = [
  "user.signed_out", "user.session.terminated", "user.password.changed", "authenticator.totp.added", "authenticator.totp.removed",
] as const;

export type NonBlockingEventType = (typeof NON_BLOCKING_EVENTS)[number] | (typeof EXTENSION_EVENTS)[number];

/**
 * Authgear's `x_hook_uri`: http(s) URLs, and `authgeardeno:` scripts. Gatehouse runs scripts
 * named by `authgeardeno:///path`, `file:///path` or a path ending in .js/.mjs/.ts (relative to
 * the working directory) in a worker thread (hooks/script-runner.ts).
 */
const hookUrl = z.string().min(1).max(2048).refine((s) => {
  if (/^(authgeardeno|file):\/\//.test(s) || /^[^:]+\.(m?js|ts)$/.test(s)) return true;
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
  } catch {
    return false;
  }
}, "must be an http(s) URL, an authgeardeno:/file: URL or a .js/.mjs/.ts path");

export const hookSchema = z
  .object({
    sync_hook_timeout_seconds: z.number().int().min(1).max(60).default(5).describe("Longest wait for one blocking handler."),
    sync_hook_total_timeout_seconds: z.number().int().min(1).max(120).default(10).describe("Longest wait for all blocking handlers of one event together."),
    blocking_handlers: z.array(z.object({
      event: z.enum(BLOCKING_EVENTS).refine((e) => !NOT_CALLED.has(e), "one of Authgear's blocking events Gatehouse does not call yet (adaptive authentication, anonymization)"),
      url: hookUrl,
    }).strict()).default([]),
    non_blocking_handlers: z.array(z.object({ events: z.array(z.enum(["*", ...NON_BLOCKING_EVENTS, ...EXTENSION_EVENTS])).min(1), url: hookUrl }).strict()).default([]),
    x_webhook_secret: z.string().min(16).optional()
      .describe("The key of x-authgear-body-signature (hex HMAC-SHA256 of the body). Required when a handler is an http(s) URL; the secrets file's `webhook` key, when present, wins."),
    x_delivery: z
      .object({
        max_attempts: z.number().int().min(1).max(100).default(12).describe("Attempts before a delivery is dead-lettered."),
        initial_backoff_seconds: z.number().min(0.01).max(3600).default(2).describe("Wait before the first retry; doubled after each failure."),
        max_backoff_seconds: z.number().min(0.01).max(86400).default(3600).describe("No wait between retries is longer than this."),
        timeout_seconds: z.number().int().min(1).max(120).default(10).describe("Longest wait for a non-blocking handler's answer."),
        poll_interval_seconds: z.number().min(0.05).max(60).default(1).describe("How often a node looks for due deliveries besides being woken by its own events."),
        concurrency: z.number().int().min(1).max(64).default(8).describe("Deliveries one node posts at once."),
        x_script_memory_mb: z.number().int().min(8).max(1024).default(64).describe("Heap limit of a script handler's worker thread."),
      })
      .prefault({}),
  })
  .superRefine((h, ctx) => {
    const web = [...h.blocking_handlers, ...h.non_blocking_handlers].some((x) => /^https?:/.test(x.url));
    if (web && h.x_webhook_secret === undefined) {
      ctx.addIssue({ code: "custom", path: ["x_webhook_secret"], message: "is required when a handler is an http(s) URL (or give the secrets file a `webhook` key)" });
    }
  })
  .prefault({});

export type HookConfig = z.infer<typeof hookSchema>;
