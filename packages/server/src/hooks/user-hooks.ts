// The user lifecycle's hook points, kept here so that callers stay one line: the blocking
// user.pre_create / user.profile.pre_update (with their mutations checked against user_profile),
// and emitUserEvent for the non-blocking events whose payload is `{user, …}`.
import type { Context } from "../context.ts";
import type { User } from "../domain/user.ts";
import type { Identity } from "../domain/identity.ts";
import { applyProfilePatch, errorInWords } from "../attributes/profile.ts";
import { IDENTITY_ATTRIBUTES } from "../attributes/standard.ts";
import type { NonBlockingEventType } from "../config/hook.ts";
import { emitEvent } from "./emit.ts";
import { hasBlockingHandler, runBlocking, type HookMutations } from "./blocking.ts";
import { identityModel, userModel } from "./models.ts";
import { hookLog } from "./log.ts";
import type { EventOrigin } from "./event-context.ts";

type Deps = Pick<Context, "config" | "storage">;

/** Emits `type` with `{user, ...extra}`; inside ctx.storage.atomic, like emitEvent. */
export function emitUserEvent(ctx: Deps, type: NonBlockingEventType, user: User, origin: EventOrigin, extra: Record<string, unknown> = {}): Promise<void> {
  return emitEvent(ctx, { type, userId: user.id, payload: { user: userModel(user, ctx.config.user_profile), ...extra } }, origin);
}

/** `groups`: the groups a user.pre_create hook put the new user in (group keys; applied once the user exists). */
export type HookGate = { ok: true; user: User; groups?: string[] } | { ok: false; title: string | null; reason: string | null; failed: boolean };

/**
 * A hook's user mutations applied to `user`: standard and custom attributes are replaced whole (as
 * Authgear does), checked against user_profile like an admin's edit; login-ID attributes are left
 * to the login IDs. Roles replace the direct roles. Null with a log line when a value is refused.
 */
export function applyUserMutations(ctx: Deps, user: User, m: HookMutations["user"], event: string): User | null {
  if (!m) return user;
  const patch: { standard_attributes?: Record<string, unknown>; custom_attributes?: Record<string, unknown> } = {};
  if (m.standard_attributes) {
    const wanted = Object.fromEntries(Object.entries(m.standard_attributes).filter(([k]) => !IDENTITY_ATTRIBUTES.has(k)));
    for (const k of Object.keys(user.standardAttributes)) if (!(k in wanted)) wanted[k] = null;
    patch.standard_attributes = wanted;
  }
  if (m.custom_attributes) {
    const wanted: Record<string, unknown> = { ...m.custom_attributes };
    for (const a of ctx.config.user_profile.custom_attributes.attributes) {
      const name = a.pointer.slice(1);
      if (a.id in user.customAttributes && !(name in wanted)) wanted[name] = null;
    }
    patch.custom_attributes = wanted;
  }
  const r = applyProfilePatch(ctx.config.user_profile, user, patch, "admin");
  if (!r.ok) {
    hookLog(ctx.storage).error({ event, errors: r.errors.map(errorInWords) }, "blocking hook's mutations break user_profile: the action is refused");
    return null;
  }
  return { ...user, standardAttributes: r.standardAttributes, customAttributes: r.customAttributes, ...(m.roles ? { roles: [...new Set(m.roles)] } : {}) };
}

/** user.pre_create: may refuse the sign-up or change the new user's attributes and roles. */
export async function preCreate(ctx: Deps, user: User, identities: Identity[], origin: EventOrigin): Promise<HookGate> {
  if (!hasBlockingHandler(ctx.config, "user.pre_create")) return { ok: true, user };
  const payload = { user: userModel(user, ctx.config.user_profile), identities: identities.map(identityModel) };
  const r = await runBlocking({ config: ctx.config, log: hookLog(ctx.storage) }, "user.pre_create", payload, origin, user.id);
  if (!r.allowed) return { ok: false, title: r.title, reason: r.reason, failed: r.failed };
  const mutated = applyUserMutations(ctx, user, r.mutations.user, "user.pre_create");
  if (!mutated) return { ok: false, title: null, reason: null, failed: true };
  const groups = r.mutations.user?.groups;
  return { ok: true, user: mutated, ...(groups && groups.length > 0 ? { groups: [...new Set(groups)] } : {}) };
}

/** user.profile.pre_update: sees the user as the update would leave it; may refuse or change it further. */
export async function profilePreUpdate(ctx: Deps, next: User, origin: EventOrigin): Promise<HookGate> {
  if (!hasBlockingHandler(ctx.config, "user.profile.pre_update")) return { ok: true, user: next };
  const r = await runBlocking({ config: ctx.config, log: hookLog(ctx.storage) }, "user.profile.pre_update", { user: userModel(next, ctx.config.user_profile) }, origin, next.id);
  if (!r.allowed) return { ok: false, title: r.title, reason: r.reason, failed: r.failed };
  const mutated = applyUserMutations(ctx, next, r.mutations.user, "user.profile.pre_update");
  return mutated ? { ok: true, user: mutated } : { ok: false, title: null, reason: null, failed: true };
}

export type ProfileUpdate = { ok: true; user: User } | { ok: false; title: string | null; reason: string | null; failed: boolean } | { ok: false; missing: true };

/**
 * Saves new attributes (already checked by applyProfilePatch): user.profile.pre_update may refuse or
 * change them first, and user.profile.updated commits with the change.
 */
export async function updateProfile(ctx: Deps & Pick<Context, "now">, user: User, attrs: Pick<User, "standardAttributes" | "customAttributes">, origin: EventOrigin): Promise<ProfileUpdate> {
  const gate = await profilePreUpdate(ctx, { ...user, ...attrs }, origin);
  if (!gate.ok) return gate;
  const patch = { standardAttributes: gate.user.standardAttributes, customAttributes: gate.user.customAttributes, ...(gate.user.roles !== user.roles ? { roles: gate.user.roles } : {}) };
  const updated = await ctx.storage.atomic(async () => {
    const u = await ctx.storage.users.update(user.id, patch, ctx.now());
    if (u) await emitUserEvent(ctx, "user.profile.updated", u, origin);
    return u;
  });
  return updated ? { ok: true, user: updated } : { ok: false, missing: true };
}

/** identity.{email,phone,username}.added/removed and identity.oauth.connected/disconnected, as Authgear names them. */
export async function emitIdentityEvent(ctx: Deps, change: "added" | "removed", user: User, identity: Identity, origin: EventOrigin): Promise<void> {
  const kind = identity.type === "oauth" ? "oauth" : identity.type === "login_id" ? identity.loginIdType : null;
  if (kind === null) return;
  const type = (kind === "oauth" ? `identity.oauth.${change === "added" ? "connected" : "disconnected"}` : `identity.${kind}.${change}`) as NonBlockingEventType;
  await emitUserEvent(ctx, type, user, origin, { identity: identityModel(identity) });
}

/** identity.{email,phone,username}.updated ({user, old_identity, new_identity}, as Authgear): one login ID changed into another. */
export async function emitIdentityUpdated(ctx: Deps, user: User, oldIdentity: Identity, newIdentity: Identity, origin: EventOrigin): Promise<void> {
  if (newIdentity.type !== "login_id" || !newIdentity.loginIdType) return;
  await emitUserEvent(ctx, `identity.${newIdentity.loginIdType}.updated` as NonBlockingEventType, user, origin, {
    old_identity: identityModel(oldIdentity), new_identity: identityModel(newIdentity),
  });
}
