// PostgreSQL adapter of the webhook outbox. Several nodes claim at once: FOR UPDATE SKIP LOCKED
// hands each due delivery to one of them, and the lease it writes keeps it theirs while they post.
import type pg from "pg";
import type { HookEventStore, HookStorage } from "../hook-ports.ts";
import { DELIVERY_SELECT, clipResponse, dueSql, eventValues, toDelivery, userKey } from "../hook-rows.ts";
import { transaction } from "./transaction.ts";

type Row = Record<string, unknown>;

export function postgresHookStores(pool: pg.Pool): HookStorage {
  const hookEvents: HookEventStore = {
    async append(events) {
      if (events.length === 0) return;
      await transaction(pool, async (client) => {
        for (const e of events) {
          const seq = (await client.query("INSERT INTO hook_events (id, type, user_id, payload, context, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq", eventValues(e))).rows[0].seq as string;
          for (const h of e.handlers) {
            await client.query("INSERT INTO hook_deliveries (seq, handler, user_key, status, next_attempt_at_ms, created_at_ms) VALUES ($1, $2, $3, 'pending', $4, $4)", [seq, h, userKey(e), e.createdAtMs]);
          }
        }
      });
    },
    async claim(o) {
      // SKIP LOCKED: a row another node is claiming right now is passed over, not waited for.
      const due = dueSql((i) => `$${i}`).replace(/LIMIT \$3$/, "LIMIT $3 FOR UPDATE OF d SKIP LOCKED");
      const ids = await transaction(pool, async (client) => (await client.query(
        `UPDATE hook_deliveries SET leased_until_ms = $4 WHERE id IN (${due}) RETURNING id`, [o.nowMs, o.nowMs, o.limit, o.leaseUntilMs],
      )).rows.map((r: Row) => Number(r.id)));
      if (ids.length === 0) return [];
      const rows = (await pool.query(`${DELIVERY_SELECT} WHERE d.id = ANY($1::bigint[]) ORDER BY d.seq, d.id`, [ids])).rows as Row[];
      return rows.map(toDelivery);
    },
    async finish(id, r, o) {
      await pool.query(
        "UPDATE hook_deliveries SET status = $1, attempts = attempts + 1, next_attempt_at_ms = $2, leased_until_ms = 0, last_status_code = $3, last_error = $4, " +
        "last_latency_ms = $5, last_response = $6, delivered_at_ms = $7 WHERE id = $8",
        [r.ok ? "delivered" : o.retryAtMs === null ? "dead" : "pending", o.retryAtMs ?? o.nowMs, r.statusCode, r.error, Math.round(r.latencyMs),
          clipResponse(r.response), r.ok ? o.nowMs : null, id],
      );
    },
    async list(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.handler !== undefined) { args.push(f.handler); where.push(`d.handler = $${args.length}`); }
      if (f.status !== undefined) { args.push(f.status); where.push(`d.status = $${args.length}`); }
      if (f.beforeId !== undefined) { args.push(f.beforeId); where.push(`d.id < $${args.length}`); }
      args.push(f.limit);
      const sql = `${DELIVERY_SELECT}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY d.id DESC LIMIT $${args.length}`;
      return ((await pool.query(sql, args)).rows as Row[]).map(toDelivery);
    },
    async get(id) {
      const r = (await pool.query(`${DELIVERY_SELECT} WHERE d.id = $1`, [id])).rows[0] as Row | undefined;
      return r ? toDelivery(r) : null;
    },
    async replay(id, nowMs) {
      return ((await pool.query("UPDATE hook_deliveries SET status = 'pending', attempts = 0, next_attempt_at_ms = $1, leased_until_ms = 0 WHERE id = $2", [nowMs, id])).rowCount ?? 0) > 0;
    },
    async deleteDeliveredBefore(beforeMs) {
      const n = (await pool.query("DELETE FROM hook_deliveries WHERE status = 'delivered' AND delivered_at_ms < $1", [beforeMs])).rowCount ?? 0;
      await pool.query("DELETE FROM hook_events e WHERE NOT EXISTS (SELECT 1 FROM hook_deliveries d WHERE d.seq = e.seq)");
      return n;
    },
  };
  return { hookEvents };
}
