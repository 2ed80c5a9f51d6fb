// Migration 15 (issue #16): the webhook outbox. `hook_events.seq` is Authgear's event `seq`;
// `hook_deliveries` holds one row per (event, non-blocking handler) with its delivery state.
// Times are unix milliseconds: retries back off from fractions of a second.
export const hookOutbox = (o: { bigint: string; serial: string }): string => `
CREATE TABLE hook_events (
  seq ${o.serial},
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  user_id TEXT,
  payload TEXT NOT NULL,
  context TEXT NOT NULL,
  created_at_ms ${o.bigint} NOT NULL
);
CREATE TABLE hook_deliveries (
  id ${o.serial},
  seq ${o.bigint} NOT NULL REFERENCES hook_events (seq) ON DELETE CASCADE,
  handler TEXT NOT NULL,
  user_key TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms ${o.bigint} NOT NULL,
  leased_until_ms ${o.bigint} NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_error TEXT,
  last_latency_ms INTEGER,
  last_response TEXT,
  created_at_ms ${o.bigint} NOT NULL,
  delivered_at_ms ${o.bigint}
);
CREATE INDEX hook_deliveries_due ON hook_deliveries (status, next_attempt_at_ms);
CREATE INDEX hook_deliveries_order ON hook_deliveries (handler, user_key, seq) WHERE status = 'pending';
CREATE INDEX hook_deliveries_handler ON hook_deliveries (handler, id);
CREATE INDEX hook_deliveries_seq ON hook_deliveries (seq);
`;
