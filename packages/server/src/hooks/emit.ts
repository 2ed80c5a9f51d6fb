// The one way a feature emits a non-blocking event. Call it INSIDE ctx.storage.atomic, next to the
// store call that makes the change: the event's outbox rows commit with the change or not at all.
//
//   await ctx.storage.atomic(async () => {
//     const user = await ctx.storage.users.update(id, patch, ctx.now());
//     if (user) await emitEvent(ctx, { type: "user.profile.updated", userId: user.id, payload: { user: userModel(user) } }, origin);
//   });
//
// When no handler wants the type nothing is written. The delivery worker of this node is woken after
// the commit; other nodes find the event on their next poll.
import { randomUUID } from "node:crypto";
import type { Config } from "../config/schema.ts";
import type { Storage } from "../storage/ports.ts";
import { EXTENSION_EVENTS, type NonBlockingEventType } from "../config/hook.ts";
import { afterCommit, insideAnyScope } from "../storage/atomic.ts";
import { eventContext, type EventOrigin } from "./event-context.ts";

export interface EventToEmit {
  type: NonBlockingEventType;
  /** Whose event: one user's events reach each handler in order. */
  userId: string | null;
  payload: Record<string, unknown>;
}

type EmitDeps = { config: Pick<Config, "hook">; storage: Storage };

const extensions = new Set<string>(EXTENSION_EVENTS);
const wakers = new WeakMap<Storage, () => void>();

/** The delivery worker registers here to be woken when this process commits an event. */
export function onEventCommitted(storage: Storage, wake: () => void): void {
  wakers.set(storage, wake);
}

/** The non-blocking handler URLs that want events of `type`. */
export function handlersFor(config: Pick<Config, "hook">, type: string): string[] {
  const urls: string[] = [];
  for (const h of config.hook.non_blocking_handlers) {
    const wants = h.events.includes(type as never) || (h.events.includes("*") && !extensions.has(type));
    if (wants && !urls.includes(h.url)) urls.push(h.url);
  }
  return urls;
}

/** Whether any handler wants `type`: callers skip reading what only the payload needs when none does. */
export function wantsEvent(config: Pick<Config, "hook">, type: NonBlockingEventType): boolean {
  return handlersFor(config, type).length > 0;
}

export async function emitEvent(deps: EmitDeps, event: EventToEmit, origin: EventOrigin): Promise<void> {
  // Outside a scope the event could commit without its change (or the change without it).
  if (!insideAnyScope()) throw new Error(`emitEvent(${event.type}) must run inside storage.atomic`);
  const handlers = handlersFor(deps.config, event.type);
  if (handlers.length === 0) return;
  const nowMs = Date.now();
  await deps.storage.hookEvents.append([{
    id: randomUUID(), type: event.type, userId: event.userId, payload: event.payload,
    context: eventContext(origin, event.userId, nowMs), handlers, createdAtMs: nowMs,
  }]);
  const wake = wakers.get(deps.storage);
  if (wake) afterCommit(wake);
}

