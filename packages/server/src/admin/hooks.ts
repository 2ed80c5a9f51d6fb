// Admin API for the webhook outbox (issue #16): the handlers, their recent deliveries (status,
// attempts, latency, the receiver's answer), replay of a dead or delivered one, and a test event.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { AdminRoute } from "./route.ts";
import type { HookDelivery } from "../storage/hook-ports.ts";
import { AdminError, notFound } from "./errors.ts";
import { audit } from "./operations.ts";
import { callHandler } from "../hooks/transport.ts";
import { eventContext } from "../hooks/event-context.ts";

const deliverySchema = z.object({
  id: z.number(), seq: z.number(), event_id: z.string(), type: z.string(), user_id: z.string().nullable(), handler: z.string(),
  status: z.enum(["pending", "delivered", "dead"]), attempts: z.number(), next_attempt_at: z.string().nullable(),
  last_status_code: z.number().nullable(), last_error: z.string().nullable(), last_latency_ms: z.number().nullable(),
  last_response: z.string().nullable(), created_at: z.string(), delivered_at: z.string().nullable(), payload: z.record(z.string(), z.unknown()),
});

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function presentDelivery(d: HookDelivery): z.infer<typeof deliverySchema> {
  return {
    id: d.id, seq: d.seq, event_id: d.eventId, type: d.type, user_id: d.userId, handler: d.handler, status: d.status, attempts: d.attempts,
    next_attempt_at: d.status === "pending" ? iso(d.nextAttemptAtMs) : null, last_status_code: d.lastStatusCode, last_error: d.lastError,
    last_latency_ms: d.lastLatencyMs, last_response: d.lastResponse, created_at: iso(d.createdAtMs)!, delivered_at: iso(d.deliveredAtMs), payload: d.payload,
  };
}

const listQuery = z.object({
  handler: z.string().max(2048).optional(),
  status: z.enum(["pending", "delivered", "dead"]).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

const idParam = (params: Record<string, string>): number => {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw new AdminError("GH_ADMIN_INVALID_REQUEST", "id must be a positive integer");
  return id;
};

export const hookRoutes: AdminRoute[] = [
  {
    method: "GET", path: "/hooks", summary: "The configured webhook handlers (blocking and non-blocking)",
    response: z.object({ blocking_handlers: z.array(z.object({ event: z.string(), url: z.string() })), non_blocking_handlers: z.array(z.object({ events: z.array(z.string()), url: z.string() })) }),
    handle: async (ctx) => ({ blocking_handlers: ctx.config.hook.blocking_handlers, non_blocking_handlers: ctx.config.hook.non_blocking_handlers }),
  },
  {
    method: "GET", path: "/hooks/deliveries", summary: "Recent webhook deliveries, newest first; filter by handler URL and status (pending, delivered, dead)",
    query: listQuery, response: z.object({ items: z.array(deliverySchema), next_before: z.number().nullable() }),
    async handle(ctx, { query }) {
      const items = await ctx.storage.hookEvents.list({ handler: query.handler, status: query.status, beforeId: query.before, limit: query.limit });
      return { items: items.map(presentDelivery), next_before: items.length === query.limit ? items.at(-1)!.id : null };
    },
  },
  {
    method: "GET", path: "/hooks/deliveries/:id", summary: "One webhook delivery", response: deliverySchema,
    async handle(ctx, { params }) {
      const d = await ctx.storage.hookEvents.get(idParam(params));
      if (!d) throw notFound("delivery");
      return presentDelivery(d);
    },
  },
  {
    method: "POST", path: "/hooks/deliveries/:id/replay", summary: "Delivers a dead (or delivered) event again: pending now, attempts reset",
    response: deliverySchema,
    async handle(ctx, { actor, params }) {
      const id = idParam(params);
      if (!(await ctx.storage.hookEvents.replay(id, Date.now()))) throw notFound("delivery");
      await audit(ctx, actor, "hook.replay", "hook_delivery", String(id));
      return presentDelivery((await ctx.storage.hookEvents.get(id))!);
    },
  },
  {
    method: "POST", path: "/hooks/test", summary: "Posts a signed test event to a configured handler now and returns its answer (not stored)",
    body: z.object({ url: z.string().max(2048) }).strict(),
    response: z.object({ ok: z.boolean(), status_code: z.number().nullable(), error: z.string().nullable(), latency_ms: z.number(), response: z.string().nullable() }),
    async handle(ctx, { actor, body }) {
      const known = [...ctx.config.hook.blocking_handlers, ...ctx.config.hook.non_blocking_handlers].some((h) => h.url === body.url);
      // Only configured handlers: the endpoint must not become a way to make the server post anywhere.
      if (!known) throw new AdminError("GH_ADMIN_INVALID_REQUEST", "url is not a configured handler");
      const event = { id: randomUUID(), seq: 0, type: "x_gatehouse.test", payload: {}, context: eventContext({ triggeredBy: "admin_api" }, null, Date.now()) };
      const d = ctx.config.hook.x_delivery;
      const r = await callHandler(body.url, JSON.stringify(event), { secret: ctx.config.hook.x_webhook_secret, timeoutMs: d.timeout_seconds * 1000, scriptMemoryMb: d.x_script_memory_mb });
      await audit(ctx, actor, "hook.test", "hook", body.url.slice(0, 200), { ok: r.ok });
      return { ok: r.ok, status_code: r.statusCode, error: r.error, latency_ms: Math.round(r.latencyMs), response: r.response === null ? null : r.response.slice(0, 1024) };
    },
  },
];
