// The outbox's delivery worker: every node runs one. It claims due deliveries (the oldest pending
// one of each handler and user, so one user's events arrive in `seq` order), posts them, and records
// the outcome: delivered, pending again after an exponential backoff, or dead after the last attempt.
// It is woken when this node commits an event and otherwise polls slowly; request handling never
// waits for it. Delivery is at least once: a node that dies mid-post leaves a lease that expires,
// and another attempt follows, so receivers de-duplicate by the event `id`.
import type { Config } from "../config/schema.ts";
import type { Storage } from "../storage/ports.ts";
import type { HookDelivery } from "../storage/hook-ports.ts";
import { callHandler } from "./transport.ts";
import { onEventCommitted } from "./emit.ts";

export interface HookLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DeliveryWorker {
  /** Looks for due deliveries now. */
  wake(): void;
  stop(): Promise<void>;
}

/** The exact body a handler receives: Authgear's event `{id, seq, type, payload, context}`. */
export function eventBody(d: Pick<HookDelivery, "eventId" | "seq" | "type" | "payload" | "context">): string {
  return JSON.stringify({ id: d.eventId, seq: d.seq, type: d.type, payload: d.payload, context: d.context });
}

/** Wait before attempt `attempts + 1`: initial × 2^(attempts − 1), capped. */
export function backoffMs(hook: Config["hook"], attempts: number): number {
  const d = hook.x_delivery;
  return Math.min(d.initial_backoff_seconds * 2 ** Math.max(0, attempts - 1), d.max_backoff_seconds) * 1000;
}

export function startDelivery(deps: { config: Pick<Config, "hook">; storage: Storage; log: HookLog }): DeliveryWorker {
  const hook = deps.config.hook;
  const d = hook.x_delivery;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let woken = false;

  async function deliver(item: HookDelivery): Promise<void> {
    const outcome = await callHandler(item.handler, eventBody(item), { secret: hook.x_webhook_secret, timeoutMs: d.timeout_seconds * 1000, scriptMemoryMb: d.x_script_memory_mb });
    const attempts = item.attempts + 1;
    const nowMs = Date.now();
    const retryAtMs = outcome.ok || attempts >= d.max_attempts ? null : nowMs + backoffMs(hook, attempts);
    if (!outcome.ok) {
      const line = { event_id: item.eventId, seq: item.seq, type: item.type, handler: item.handler, attempts, status_code: outcome.statusCode, error: outcome.error };
      if (retryAtMs === null) deps.log.error(line, "webhook delivery failed for the last time: dead-lettered (replay it from the portal or the admin API)");
      else deps.log.warn({ ...line, retry_in_ms: retryAtMs - nowMs }, "webhook delivery failed; will retry");
    }
    await deps.storage.hookEvents.finish(item.id, outcome, { nowMs, retryAtMs });
  }

  async function round(): Promise<number> {
    const nowMs = Date.now();
    // The lease outlasts the post's timeout: no other node takes the delivery while it is in flight.
    const batch = await deps.storage.hookEvents.claim({ nowMs, limit: d.concurrency, leaseUntilMs: nowMs + d.timeout_seconds * 1000 + 30_000 });
    await Promise.all(batch.map((item) => deliver(item).catch((err: Error) => deps.log.error({ err: err.message, delivery: item.id }, "recording a webhook delivery failed"))));
    return batch.length;
  }

  const loop = (async () => {
    while (!stopped) {
      let n = 0;
      try {
        n = await round();
      } catch (err) {
        deps.log.warn({ err: (err as Error).message }, "claiming webhook deliveries failed; will retry");
      }
      if (n > 0 || stopped) continue;
      if (woken) {
        woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, d.poll_interval_seconds * 1000);
        wakeUp = () => { clearTimeout(timer); resolve(); };
      });
      wakeUp = null;
    }
  })();

  const wake = (): void => {
    woken = true;
    wakeUp?.();
  };
  onEventCommitted(deps.storage, wake);
  return {
    wake,
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
