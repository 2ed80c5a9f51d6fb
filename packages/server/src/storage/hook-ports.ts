// Storage port of the webhook outbox (issue #16). An event is written in the SAME transaction as the
// change that caused it (inside Storage.atomic), with one delivery row per non-blocking handler that
// wants it; the delivery worker claims deliveries, posts them, and records what happened.

/** An event as emitted: Authgear's `{id, type, payload, context}`; `seq` comes from the table. */
export interface NewHookEvent {
  id: string;
  type: string;
  /** Whose event it is: deliveries of one user to one handler go out in `seq` order. Null: no user. */
  userId: string | null;
  payload: Record<string, unknown>;
  context: Record<string, unknown>;
  /** The handler URLs to deliver it to (those whose `events` list names the type, or `*`). */
  handlers: string[];
  /** Unix milliseconds. */
  createdAtMs: number;
}

export type DeliveryStatus = "pending" | "delivered" | "dead";

export interface HookDelivery {
  id: number;
  seq: number;
  eventId: string;
  type: string;
  userId: string | null;
  handler: string;
  payload: Record<string, unknown>;
  context: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAtMs: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  /** The receiver's answer, cut to 1 KiB: for the portal. */
  lastResponse: string | null;
  createdAtMs: number;
  deliveredAtMs: number | null;
}

export interface DeliveryOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  response: string | null;
}

export interface HookEventStore {
  /** Appends events and their deliveries. Call inside Storage.atomic with the change they describe. */
  append(events: NewHookEvent[]): Promise<void>;
  /**
   * Leases up to `limit` deliveries that are due: pending, past their next attempt and lease, and
   * the oldest pending one of their (handler, user) — so one user's events reach a handler in `seq`
   * order. A leased delivery is not handed out again until `leaseUntilMs`: on PostgreSQL several
   * nodes claim at once (FOR UPDATE SKIP LOCKED) and each delivery goes to one of them.
   */
  claim(options: { nowMs: number; limit: number; leaseUntilMs: number }): Promise<HookDelivery[]>;
  /** Records an attempt: delivered, or pending again at `retryAtMs`, or dead when `retryAtMs` is null. */
  finish(id: number, outcome: DeliveryOutcome, options: { nowMs: number; retryAtMs: number | null }): Promise<void>;
  /** Newest first; filtered by handler and/or status. */
  list(filter: { handler?: string; status?: DeliveryStatus; limit: number; beforeId?: number }): Promise<HookDelivery[]>;
  get(id: number): Promise<HookDelivery | null>;
  /** Makes a dead (or delivered) delivery pending again, due now, with its attempts reset; false if missing. */
  replay(id: number, nowMs: number): Promise<boolean>;
  /** Deletes delivered deliveries older than `beforeMs` (and events no delivery points at any more). */
  deleteDeliveredBefore(beforeMs: number): Promise<number>;
}

export interface HookStorage {
  hookEvents: HookEventStore;
}
