// Challenges (POST /oauth2/challenge): a random one-time token a device signs into its request JWT,
// so a captured JWT cannot be replayed. Like Authgear's pkg/lib/authn/challenge: 32 characters of
// base32, valid 5 minutes, used once. Stored hashed; consumed atomically (in Redis with GETDEL when
// `redis.url` is set, else in the database with DELETE … RETURNING).
import { randomInt } from "node:crypto";
import type { Context } from "../context.ts";
import { sha256 } from "../crypto/secrets.ts";
import type { OneTimeTokenPurpose } from "../storage/device-key-ports.ts";

export const CHALLENGE_PURPOSES = ["anonymous_request", "biometric_request", "app2app_request"] as const;
export type ChallengePurpose = (typeof CHALLENGE_PURPOSES)[number];
export const CHALLENGE_TTL_SECONDS = 300;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function randomBase32(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE32[randomInt(32)];
  return out;
}



/** Under redis.key_prefix, so deployments sharing a Redis never see each other's tokens. */
const redisKey = (ctx: Context, hash: string): string => `${ctx.config.redis.key_prefix}one-time-token:${hash}`;

/** Stores a one-time token (challenge or promotion code) for `ttl` seconds. */
export async function storeOneTimeToken(ctx: Context, token: string, o: { purpose: OneTimeTokenPurpose; userId: string | null; ttl: number; data?: Record<string, unknown> }): Promise<number> {
  const expiresAt = ctx.now() + o.ttl;
  const hash = sha256(token);
  if (ctx.redis) {
    await ctx.redis.set(redisKey(ctx, hash), JSON.stringify({ purpose: o.purpose, userId: o.userId, data: o.data ?? null, expiresAt }), "EX", o.ttl, "NX");
  } else {
    await ctx.storage.oneTimeTokens.create({ tokenHash: hash, purpose: o.purpose, userId: o.userId, data: o.data ?? null, expiresAt });
  }
  return expiresAt;
}

/** Reads a one-time token without spending it: its user, if it is live and has this purpose. */
export async function peekOneTimeToken(ctx: Context, token: string, purpose: OneTimeTokenPurpose): Promise<{ userId: string | null } | null> {
  const hash = sha256(token);
  const now = ctx.now();
  let found: { purpose: string; userId: string | null; expiresAt: number } | null;
  if (ctx.redis) {
    const raw = await ctx.redis.get(redisKey(ctx, hash));
    found = raw ? (JSON.parse(raw) as { purpose: string; userId: string | null; expiresAt: number }) : null;
  } else {
    found = await ctx.storage.oneTimeTokens.get(hash, now);
  }
  return found && found.purpose === purpose && found.expiresAt > now ? { userId: found.userId } : null;
}

/** Spends a one-time token: its user (or null for challenges) if it existed, was unexpired and had this purpose. */
type Stored = { purpose: string; userId: string | null; data?: Record<string, unknown> | null; expiresAt: number };

export async function consumeOneTimeToken(ctx: Context, token: string, purpose: OneTimeTokenPurpose): Promise<{ userId: string | null; data: Record<string, unknown> | null } | null> {
  if (typeof token !== "string" || token.length === 0 || token.length > 256) return null;
  const hash = sha256(token);
  const now = ctx.now();
  let found: Stored | null;
  if (ctx.redis) {
    const raw = await ctx.redis.getdel(redisKey(ctx, hash));
    found = raw ? (JSON.parse(raw) as Stored) : null;
    if (found && found.expiresAt <= now) found = null;
  } else {
    found = await ctx.storage.oneTimeTokens.consume(hash, now);
  }
  // A token of another purpose is spent too: it was presented where it does not belong.
  return found && found.purpose === purpose ? { userId: found.userId, data: found.data ?? null } : null;
}

export async function createChallenge(ctx: Context, purpose: ChallengePurpose): Promise<{ token: string; expiresAt: number }> {
  const token = randomBase32(32);
  const expiresAt = await storeOneTimeToken(ctx, token, { purpose, userId: null, ttl: CHALLENGE_TTL_SECONDS });
  return { token, expiresAt };
}

export async function consumeChallenge(ctx: Context, token: string, purpose: ChallengePurpose): Promise<boolean> {
  return (await consumeOneTimeToken(ctx, token, purpose)) !== null;
}

/** Go's time.Time JSON form, as Authgear answers expire_at. */
export function rfc3339(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(".000Z", "Z");
}
