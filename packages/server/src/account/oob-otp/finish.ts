// A target proved by a code or link as the first factor: its account signs in, or — when no account
// has that login ID — one is made with it (passwordless sign-up, as Authgear does: sign-in and
// sign-up are the same step, so the answer never says whether the account existed).
import { randomUUID } from "node:crypto";
import type { Context } from "../../context.ts";
import { loginIdIdentity } from "../../domain/identity.ts";
import type { User } from "../../domain/user.ts";
import { loginIdKeys } from "../../identity/login-id/index.ts";
import { announceUserChanged } from "../../session/revocation.ts";
import type { OobChannel } from "../../storage/oob-ports.ts";
import { accountLimits } from "../limits/buckets.ts";

export type ProvedResult = { kind: "user"; user: User; created: boolean } | { kind: "rate_limited"; retryAfter: number };

const TYPE: Record<OobChannel, "email" | "phone"> = { email: "email", sms: "phone" };

async function findByTarget(ctx: Context, channel: OobChannel, target: string): Promise<User | null> {
  for (const key of loginIdKeys(ctx.config).filter((k) => k.type === TYPE[channel])) {
    const identity = await ctx.storage.identities.findByLoginId(key.key, target);
    if (identity) return ctx.storage.users.get(identity.userId);
  }
  return null;
}

/** The proved target's user (made if need be), with the target recorded as proved (and as a first factor). */
export async function userForProvedTarget(ctx: Context, o: { channel: OobChannel; target: string; original: string; ip: string }): Promise<ProvedResult> {
  let user = await findByTarget(ctx, o.channel, o.target);
  let created = false;
  if (!user) {
    const limited = await ctx.rateLimiter.take(accountLimits(ctx.config).signupPerIp, o.ip, ctx.now());
    if (!limited.ok) return { kind: "rate_limited", retryAfter: limited.retryAfter };
    const key = loginIdKeys(ctx.config).find((k) => k.type === TYPE[o.channel])!;
    const now = ctx.now();
    const id = randomUUID();
    const identity = loginIdIdentity({ id: randomUUID(), userId: id, key: key.key, type: key.type, loginId: o.target, originalLoginId: o.original, at: now });
    const row: User = {
      id, email: o.channel === "email" ? o.target : null, isVerified: o.channel === "email", isAnonymous: false, disabled: false,
      disabledReason: null, roles: [], standardAttributes: {}, customAttributes: {}, createdAt: now, updatedAt: now,
    };
    // No password: the code was the credential. A parallel sign-up with the same target loses the race and signs in.
    user = await ctx.storage.users.create(row, null, [identity]);
    created = user !== null;
    user ??= await findByTarget(ctx, o.channel, o.target);
    if (!user) throw new Error("a user with a proved login ID could neither be made nor found");
  }
  await ctx.storage.oobAuthenticators.add({ id: randomUUID(), userId: user.id, kind: "primary", channel: o.channel, target: o.target, createdAt: ctx.now() });
  // The code proved the address: the account's primary email is verified now.
  if (o.channel === "email" && user.email === o.target && !user.isVerified) {
    user = (await ctx.storage.users.update(user.id, { isVerified: true }, ctx.now())) ?? user;
    await announceUserChanged(ctx, user.id);
  }
  return { kind: "user", user, created };
}

/** Whether this phone number was proved by an SMS code (userinfo's phone_number_verified). */
export async function phoneVerified(ctx: Context, userId: string, phone: unknown): Promise<boolean> {
  if (typeof phone !== "string") return false;
  return (await ctx.storage.oobAuthenticators.listByUser(userId)).some((a) => a.channel === "sms" && a.target === phone);
}
