// Admin API keys: `gha_<id>_<secret>`, shown once at creation; only the secret's SHA-256 is kept.
// A key is checked against the database on every request, so a revoked key stops at once, on
// every node. Its last use is written at most once a minute per key (per node, and the store
// skips the write when another node wrote within the minute).
import type { Context } from "../context.ts";
import type { AdminKey } from "../domain/admin.ts";
import { randomId, randomToken, safeEqual, sha256 } from "../crypto/secrets.ts";
import { AdminError, notFound } from "./errors.ts";

/** How often a key's last use is written, at most. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

const lastTouched = new WeakMap<Context, Map<string, number>>();

export async function createAdminKey(ctx: Context, name: string): Promise<{ id: string; key: string }> {
  const id = randomId();
  const secret = randomToken();
  await ctx.storage.adminKeys.create({ id, name: name.slice(0, 200), secretHash: sha256(secret), createdAt: ctx.now(), lastUsedAt: null, revokedAt: null });
  return { id, key: `gha_${id}_${secret}` };
}

/** The key's id if the bearer value is a live admin key, else null. */
export async function checkAdminKey(ctx: Context, value: string): Promise<string | null> {
  const m = /^gha_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return null;
  const key = await ctx.storage.adminKeys.get(m[1]);
  if (!key || key.revokedAt !== null || !safeEqual(key.secretHash, sha256(m[2]))) return null;
  await recordUse(ctx, key);
  return key.id;
}

async function recordUse(ctx: Context, key: AdminKey): Promise<void> {
  const now = ctx.now();
  const notBefore = now - LAST_USED_RESOLUTION_SECONDS + 1;
  let seen = lastTouched.get(ctx);
  if (!seen) lastTouched.set(ctx, (seen = new Map()));
  if ((key.lastUsedAt ?? -Infinity) >= notBefore || (seen.get(key.id) ?? -Infinity) >= notBefore) return;
  seen.set(key.id, now);
  await ctx.storage.adminKeys.touch(key.id, now, notBefore);
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t * 1000).toISOString());

/** A key as the admin API and the CLI show it: never its hash. */
export function presentAdminKey(k: AdminKey) {
  return { id: k.id, name: k.name, created_at: iso(k.createdAt)!, last_used_at: iso(k.lastUsedAt), revoked_at: iso(k.revokedAt) };
}

/** A key by its id or, failing that, by the name of exactly one live key. */
export async function findAdminKey(ctx: Context, idOrName: string): Promise<AdminKey> {
  const all = await ctx.storage.adminKeys.list();
  const byId = all.find((k) => k.id === idOrName);
  if (byId) return byId;
  const named = all.filter((k) => k.name === idOrName && k.revokedAt === null);
  if (named.length > 1) throw new AdminError("GH_ADMIN_CONFLICT", `${named.length} live keys are named "${idOrName}"; give the id instead`);
  if (named.length === 0) throw notFound("admin key");
  return named[0];
}

/** Revokes a key (by id or name) and records who did; the key fails its next request. */
export async function revokeAdminKey(ctx: Context, actor: string, idOrName: string): Promise<AdminKey> {
  const key = await findAdminKey(ctx, idOrName);
  if (key.revokedAt !== null) throw new AdminError("GH_ADMIN_CONFLICT", `the key "${key.name}" was revoked already`);
  const at = ctx.now();
  if (!(await ctx.storage.adminKeys.revoke(key.id, at))) throw new AdminError("GH_ADMIN_CONFLICT", `the key "${key.name}" was revoked already`);
  await ctx.storage.auditLog.append({ at, actor, action: "admin_key.revoke", targetType: "admin_key", targetId: key.id, details: { name: key.name } });
  return { ...key, revokedAt: at };
}
