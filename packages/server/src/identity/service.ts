// The identity rules above the storage port: finding a user by what was typed into the sign-in
// field, adding a login ID under a configured key, and removing an identity — never the last way in.
import { emitIdentityEvent, emitIdentityUpdated } from "../hooks/user-hooks.ts";
import type { EventOrigin } from "../hooks/event-context.ts";
import { randomUUID } from "node:crypto";
import type { Context } from "../context.ts";
import type { LoginIdKeyConfig } from "../config/identity.ts";
import { loginIdIdentity, type Identity } from "../domain/identity.ts";
import type { User } from "../domain/user.ts";
import { candidateKeys, loginIdKeys, normaliseLoginId, type LoginIdRefusal } from "./login-id/index.ts";

export type LoginIdProblem = { key: LoginIdKeyConfig; reason: LoginIdRefusal | "taken" };

/** The user whose login ID this is, trying each configured key it may belong to. */
export async function findByTypedLoginId(ctx: Context, typed: string): Promise<{ user: User | null }> {
  for (const key of candidateKeys(ctx.config, typed)) {
    const n = normaliseLoginId(ctx.config, key, typed);
    if (!n.ok) continue;
    const identity = await ctx.storage.identities.findByLoginId(key.key, n.loginId);
    if (identity) return { user: await ctx.storage.users.get(identity.userId) };
  }
  return { user: null };
}

/**
 * What rate limits and the lockout key a sign-in by: the normalised login ID, so one account is one
 * key however it is typed (+852 6123 4567 and +85261234567), known or not.
 */
export function lockKeyForTyped(ctx: Context, typed: string): string {
  for (const key of candidateKeys(ctx.config, typed)) {
    const n = normaliseLoginId(ctx.config, key, typed);
    if (n.ok) return n.loginId;
  }
  return typed.trim().toLowerCase();
}

/**
 * Checks and normalises login IDs given by key (blank ones skipped) into identities for `userId`.
 * Unknown keys are a programming error upstream (forms only carry configured keys).
 */
export function buildLoginIds(
  ctx: Context, userId: string, values: Record<string, string>,
): { ok: true; identities: Identity[] } | { ok: false; problem: LoginIdProblem } {
  const identities: Identity[] = [];
  const at = ctx.now();
  for (const key of loginIdKeys(ctx.config)) {
    const typed = values[key.key] ?? "";
    if (typed.trim() === "") continue;
    const n = normaliseLoginId(ctx.config, key, typed);
    if (!n.ok) return { ok: false, problem: { key, reason: n.reason } };
    identities.push(loginIdIdentity({ id: randomUUID(), userId, key: key.key, type: key.type, loginId: n.loginId, originalLoginId: n.original, at }));
  }
  return { ok: true, identities };
}

/** The first of `identities` someone else has already (after a create was refused as taken). */
export async function firstTaken(ctx: Context, identities: Identity[]): Promise<Identity | null> {
  for (const i of identities) {
    if (i.loginIdKey !== null && i.loginId !== null && (await ctx.storage.identities.findByLoginId(i.loginIdKey, i.loginId))) return i;
  }
  return null;
}

export type AddLoginIdResult = { ok: true; identity: Identity } | { ok: false; reason: LoginIdRefusal | "taken" | "unknown_key" };

/** Adds a login ID under a configured key (admin API; settings once users may add their own). */
export async function addLoginId(ctx: Context, user: User, keyName: string, typed: string, origin: EventOrigin = { triggeredBy: "admin_api" }): Promise<AddLoginIdResult> {
  const key = loginIdKeys(ctx.config).find((k) => k.key === keyName);
  if (!key) return { ok: false, reason: "unknown_key" };
  const n = normaliseLoginId(ctx.config, key, typed);
  if (!n.ok) return { ok: false, reason: n.reason };
  const identity = loginIdIdentity({ id: randomUUID(), userId: user.id, key: key.key, type: key.type, loginId: n.loginId, originalLoginId: n.original, at: ctx.now() });
  const created = await ctx.storage.atomic(async () => {
    const c = await ctx.storage.identities.create(identity);
    if (c) await emitIdentityEvent(ctx, "added", user, c, origin);
    return c;
  });
  return created ? { ok: true, identity: created } : { ok: false, reason: "taken" };
}

export type RemoveIdentityResult = { ok: true; identity: Identity } | { ok: false; reason: "not_found" | "last_identity" };

/**
 * Removes one of the user's identities, refusing the last one: a user with no identity could
 * never sign in again (a password alone names no account).
 */
export async function removeIdentity(ctx: Context, user: User, identityId: string, origin: EventOrigin = { triggeredBy: "admin_api" }): Promise<RemoveIdentityResult> {
  const identities = await ctx.storage.identities.listByUser(user.id);
  const identity = identities.find((i) => i.id === identityId);
  if (!identity) return { ok: false, reason: "not_found" };
  if (identities.length <= 1) return { ok: false, reason: "last_identity" };
  const removed = await ctx.storage.atomic(async () => {
    const gone = await ctx.storage.identities.delete(identity.id, ctx.now());
    if (gone) await emitIdentityEvent(ctx, "removed", user, identity, origin);
    return gone;
  });
  return removed ? { ok: true, identity } : { ok: false, reason: "not_found" };
}

/**
 * What pages call the account: the primary email, else the first login ID as the user typed it
 * (a phone number, a username), else the user id.
 */
export async function accountLabel(ctx: Context, user: User): Promise<string> {
  if (user.email !== null) return user.email;
  const first = (await ctx.storage.identities.listByUser(user.id)).find((i) => i.type === "login_id");
  return first?.originalLoginId ?? first?.loginId ?? user.id;
}

/**
 * Every lockout key the user's failures may sit under: each login ID (sign-in keys by what was
 * typed, normalised), the email, and the user id (second steps of an account with no email).
 */
export async function lockKeysOf(ctx: Context, user: User): Promise<string[]> {
  const ids = (await ctx.storage.identities.listByUser(user.id)).flatMap((i) => (i.type === "login_id" && i.loginId ? [i.loginId] : []));
  return [...new Set([...(user.email ? [user.email] : []), ...ids, user.id])];
}

export type ChangeLoginIdResult = { ok: true; identity: Identity } | { ok: false; reason: LoginIdRefusal | "taken" | "unknown_key" | "not_found" };

/**
 * Replaces one of the user's login IDs with a new value under the same key (settings actions). The
 * new one is added before the old one goes, so a refusal (taken, invalid) loses nothing. The
 * primary email is renamed in place instead (users.email and its login ID move together).
 */
export async function changeLoginId(ctx: Context, user: User, identityId: string, typed: string, origin: EventOrigin = { triggeredBy: "user" }): Promise<ChangeLoginIdResult> {
  const old = (await ctx.storage.identities.listByUser(user.id)).find((i) => i.id === identityId && i.type === "login_id");
  if (!old || old.loginIdKey === null) return { ok: false, reason: "not_found" };
  const key = loginIdKeys(ctx.config).find((k) => k.key === old.loginIdKey);
  if (!key) return { ok: false, reason: "unknown_key" };
  const n = normaliseLoginId(ctx.config, key, typed);
  if (!n.ok) return { ok: false, reason: n.reason };
  if (await ctx.storage.identities.findByLoginId(key.key, n.loginId)) return { ok: false, reason: "taken" };
  // identity.<type>.updated commits with the change, whichever way it is made.
  if (key.type === "email" && user.email !== null && old.loginId === user.email) {
    // A new address is not known to be verified: the caller marks it once a code proved it.
    const renamed = await ctx.storage.atomic(async () => {
      const updated = await ctx.storage.users.update(user.id, { email: n.loginId, isVerified: false }, ctx.now());
      const r = updated && (await ctx.storage.identities.listByUser(user.id)).find((i) => i.id === old.id);
      if (r) await emitIdentityUpdated(ctx, user, old, r, origin);
      return r;
    }).catch(() => null); // taken by a racing request: the unique index refused it, and nothing was kept
    return renamed ? { ok: true, identity: renamed } : { ok: false, reason: "taken" };
  }
  const identity = loginIdIdentity({ id: randomUUID(), userId: user.id, key: key.key, type: key.type, loginId: n.loginId, originalLoginId: n.original, at: ctx.now() });
  const created = await ctx.storage.atomic(async () => {
    const c = await ctx.storage.identities.create(identity);
    if (c) {
      await ctx.storage.identities.delete(old.id, ctx.now());
      await emitIdentityUpdated(ctx, user, old, c, origin);
    }
    return c;
  });
  return created ? { ok: true, identity: created } : { ok: false, reason: "taken" };
}
