// Admin API keys: `gha_<id>_<secret>`, shown once at creation; only the secret's SHA-256 is kept.
import type { Context } from "../context.ts";
import { randomId, randomToken, safeEqual, sha256 } from "../crypto/secrets.ts";

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
  return key.id;
}
