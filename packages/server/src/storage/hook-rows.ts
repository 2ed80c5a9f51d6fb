// Row mapping and SQL shared by both adapters of the webhook outbox (hook-ports.ts).
import type { HookDelivery, NewHookEvent } from "./hook-ports.ts";

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const DELIVERY_SELECT =
  "SELECT d.id, d.seq, d.handler, d.status, d.attempts, d.next_attempt_at_ms, d.last_status_code, d.last_error, d.last_latency_ms, " +
  "d.last_response, d.created_at_ms, d.delivered_at_ms, e.id AS event_id, e.type, e.user_id, e.payload, e.context " +
  "FROM hook_deliveries d JOIN hook_events e ON e.seq = d.seq";

export function toDelivery(r: Row): HookDelivery {
  return {
    id: num(r.id), seq: num(r.seq), eventId: r.event_id as string, type: r.type as string, userId: (r.user_id as string | null) ?? null,
    handler: r.handler as string, payload: JSON.parse(r.payload as string), context: JSON.parse(r.context as string),
    status: r.status as HookDelivery["status"], attempts: num(r.attempts), nextAttemptAtMs: num(r.next_attempt_at_ms),
    lastStatusCode: numOrNull(r.last_status_code), lastError: (r.last_error as string | null) ?? null, lastLatencyMs: numOrNull(r.last_latency_ms),
    lastResponse: (r.last_response as string | null) ?? null, createdAtMs: num(r.created_at_ms), deliveredAtMs: numOrNull(r.delivered_at_ms),
  };
}

export const eventValues = (e: NewHookEvent): unknown[] =>
  [e.id, e.type, e.userId, JSON.stringify(e.payload), JSON.stringify(e.context), e.createdAtMs];

/** Deliveries of one user keep their order; events without a user are ordered among themselves. */
export const userKey = (e: Pick<NewHookEvent, "userId">): string => e.userId ?? "";

/**
 * Due deliveries that are the oldest pending one of their (handler, user): `?`/`$n` placeholders
 * are filled by each adapter (now, now, limit).
 */
export const dueSql = (p: (i: number) => string): string =>
  "SELECT d.id FROM hook_deliveries d WHERE d.status = 'pending' AND d.next_attempt_at_ms <= " + p(1) + " AND d.leased_until_ms <= " + p(2) +
  " AND NOT EXISTS (SELECT 1 FROM hook_deliveries o WHERE o.handler = d.handler AND o.user_key = d.user_key AND o.status = 'pending' AND o.seq < d.seq)" +
  " ORDER BY d.seq, d.id LIMIT " + p(3);

/** The response kept for the portal: at most 1 KiB. */
export const clipResponse = (s: string | null): string | null => (s === null ? null : s.length > 1024 ? s.slice(0, 1024) : s);
