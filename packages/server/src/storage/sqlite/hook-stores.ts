// SQLite adapter of the webhook outbox. One process owns an SQLite file, so claiming needs no row
// locks: the claim is one synchronous transaction.
import type Database from "better-sqlite3";
import type { HookEventStore, HookStorage } from "../hook-ports.ts";
import { DELIVERY_SELECT, clipResponse, dueSql, eventValues, toDelivery, userKey } from "../hook-rows.ts";

export function sqliteHookStores(db: Database.Database): HookStorage {
  const insertEvent = db.prepare("INSERT INTO hook_events (id, type, user_id, payload, context, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)");
  const insertDelivery = db.prepare("INSERT INTO hook_deliveries (seq, handler, user_key, status, next_attempt_at_ms, created_at_ms) VALUES (?, ?, ?, 'pending', ?, ?)");
  const due = db.prepare(dueSql(() => "?"));
  const lease = db.prepare("UPDATE hook_deliveries SET leased_until_ms = ? WHERE id = ?");
  const byId = db.prepare(`${DELIVERY_SELECT} WHERE d.id = ?`);
  const append = db.transaction((events: Parameters<HookEventStore["append"]>[0]) => {
    for (const e of events) {
      const seq = insertEvent.run(...eventValues(e)).lastInsertRowid;
      for (const h of e.handlers) insertDelivery.run(seq, h, userKey(e), e.createdAtMs, e.createdAtMs);
    }
  });
  const claim = db.transaction((nowMs: number, limit: number, leaseUntilMs: number) => {
    const ids = (due.all(nowMs, nowMs, limit) as { id: number }[]).map((r) => r.id);
    for (const id of ids) lease.run(leaseUntilMs, id);
    return ids.map((id) => toDelivery(byId.get(id) as Record<string, unknown>));
  });
  const hookEvents: HookEventStore = {
    async append(events) {
      if (events.length > 0) append(events);
    },
    async claim(o) {
      return claim(o.nowMs, o.limit, o.leaseUntilMs);
    },
    async finish(id, r, o) {
      db.prepare(
        "UPDATE hook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at_ms = ?, leased_until_ms = 0, last_status_code = ?, last_error = ?, " +
        "last_latency_ms = ?, last_response = ?, delivered_at_ms = ? WHERE id = ?",
      ).run(r.ok ? "delivered" : o.retryAtMs === null ? "dead" : "pending", o.retryAtMs ?? o.nowMs, r.statusCode, r.error, Math.round(r.latencyMs),
        clipResponse(r.response), r.ok ? o.nowMs : null, id);
    },
    async list(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.handler !== undefined) { where.push("d.handler = ?"); args.push(f.handler); }
      if (f.status !== undefined) { where.push("d.status = ?"); args.push(f.status); }
      if (f.beforeId !== undefined) { where.push("d.id < ?"); args.push(f.beforeId); }
      const sql = `${DELIVERY_SELECT}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY d.id DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, f.limit) as Record<string, unknown>[]).map(toDelivery);
    },
    async get(id) {
      const r = byId.get(id) as Record<string, unknown> | undefined;
      return r ? toDelivery(r) : null;
    },
    async replay(id, nowMs) {
      return db.prepare("UPDATE hook_deliveries SET status = 'pending', attempts = 0, next_attempt_at_ms = ?, leased_until_ms = 0 WHERE id = ?").run(nowMs, id).changes > 0;
    },
    async deleteDeliveredBefore(beforeMs) {
      const n = db.prepare("DELETE FROM hook_deliveries WHERE status = 'delivered' AND delivered_at_ms < ?").run(beforeMs).changes;
      db.prepare("DELETE FROM hook_events WHERE NOT EXISTS (SELECT 1 FROM hook_deliveries d WHERE d.seq = hook_events.seq)").run();
      return n;
    },
  };
  return { hookEvents };
}
