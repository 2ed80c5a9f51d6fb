// Blocking hooks (Authgear's pkg/lib/hook/sink.go, pkg/api/event/hook_response.go): run inline, in
// config order, each within sync_hook_timeout_seconds and all within sync_hook_total_timeout_seconds.
// A handler answers `{is_allowed: false, title?, reason?}` to stop the action, or `{is_allowed: true,
// mutations?}`; each handler sees the payload as the previous one left it. A handler that times out,
// fails, or answers something that is not a hook response fails the action (Authgear does the same:
// WebHookDeliveryTimeout / WebHookInvalidResponse), with one log line naming the handler and why.
import { randomUUID } from "node:crypto";
import type { Config } from "../config/schema.ts";
import type { BLOCKING_EVENTS } from "../config/hook.ts";
import { callHandler } from "./transport.ts";
import { eventContext, type EventOrigin } from "./event-context.ts";
import type { HookLog } from "./delivery.ts";

export type BlockingEventType = (typeof BLOCKING_EVENTS)[number];

export interface HookMutations {
  user?: { standard_attributes?: Record<string, unknown>; custom_attributes?: Record<string, unknown>; roles?: string[]; groups?: string[] };
  jwt?: { payload: Record<string, unknown> };
  id_token?: { payload: Record<string, unknown> };
}

export type BlockingOutcome<P> =
  | { allowed: true; payload: P; mutations: HookMutations }
  | { allowed: false; title: string | null; reason: string | null; failed: boolean };

export type ParsedResponse = { is_allowed: true; mutations: HookMutations } | { is_allowed: false; title: string | null; reason: string | null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** Checks an answer against Authgear's hook response schema; a string says what is wrong. */
export function parseHookResponse(text: string | null): ParsedResponse | string {
  let body: unknown;
  try {
    body = JSON.parse(text ?? "");
  } catch {
    return "invalid response body: not JSON";
  }
  if (!isObject(body) || typeof body.is_allowed !== "boolean") return "invalid response body: is_allowed must be a boolean";
  if (!body.is_allowed) {
    for (const k of ["title", "reason"] as const) if (body[k] !== undefined && typeof body[k] !== "string") return `invalid response body: ${k} must be a string`;
    return { is_allowed: false, title: (body.title as string | undefined)?.slice(0, 200) ?? null, reason: (body.reason as string | undefined)?.slice(0, 1000) ?? null };
  }
  const m = body.mutations ?? {};
  if (!isObject(m)) return "invalid response body: mutations must be an object";
  const out: HookMutations = {};
  if (m.user !== undefined) {
    if (!isObject(m.user)) return "invalid response body: mutations.user must be an object";
    const u = m.user;
    for (const k of ["standard_attributes", "custom_attributes"] as const) if (u[k] !== undefined && !isObject(u[k])) return `invalid response body: mutations.user.${k} must be an object`;
    for (const k of ["roles", "groups"] as const) if (u[k] !== undefined && !isStringList(u[k])) return `invalid response body: mutations.user.${k} must be a list of strings`;
    out.user = u as HookMutations["user"];
  }
  for (const k of ["jwt", "id_token"] as const) {
    if (m[k] === undefined) continue;
    const part = m[k];
    if (!isObject(part) || !isObject(part.payload)) return `invalid response body: mutations.${k}.payload must be an object`;
    out[k] = { payload: part.payload };
  }
  return { is_allowed: true, mutations: out };
}

/** What each event lets a hook change, applied to the payload the next handler sees. */
function applyMutations<P extends Record<string, unknown>>(type: BlockingEventType, payload: P, m: HookMutations): P {
  const next: Record<string, unknown> = { ...payload };
  if (m.user && isObject(next.user) && (type === "user.pre_create" || type === "user.profile.pre_update" || type.startsWith("authentication."))) {
    next.user = { ...next.user, ...Object.fromEntries(Object.entries(m.user).filter(([, v]) => v !== undefined)) };
  }
  if (m.jwt && type === "oidc.jwt.pre_create") next.jwt = { payload: m.jwt.payload };
  if (m.id_token && type === "oidc.id_token.pre_create") next.id_token = { payload: m.id_token.payload };
  return next as P;
}

/** Merges mutations of several handlers: a later handler's part replaces an earlier one's. */
function mergeMutations(a: HookMutations, b: HookMutations): HookMutations {
  return { ...a, ...b, ...(a.user || b.user ? { user: { ...a.user, ...b.user } } : {}) };
}

export function hasBlockingHandler(config: Pick<Config, "hook">, type: BlockingEventType): boolean {
  return config.hook.blocking_handlers.some((h) => h.event === type);
}

export async function runBlocking<P extends Record<string, unknown>>(
  deps: { config: Pick<Config, "hook">; log: HookLog }, type: BlockingEventType, payload: P, origin: EventOrigin, userId: string | null,
): Promise<BlockingOutcome<P>> {
  const hook = deps.config.hook;
  const handlers = hook.blocking_handlers.filter((h) => h.event === type);
  let current = payload;
  let mutations: HookMutations = {};
  const deadline = performance.now() + hook.sync_hook_total_timeout_seconds * 1000;
  for (const h of handlers) {
    const left = deadline - performance.now();
    const fail = (why: string, extra: object = {}): BlockingOutcome<P> => {
      deps.log.error({ event: type, handler: h.url, ...extra, error: why }, "blocking hook failed: the action is refused");
      return { allowed: false, title: null, reason: null, failed: true };
    };
    if (left <= 0) return fail(`sync_hook_total_timeout_seconds (${hook.sync_hook_total_timeout_seconds}) used up before this handler`);
    // Blocking events are not stored, so they carry no outbox sequence number: seq is 0.
    const body = JSON.stringify({ id: randomUUID(), seq: 0, type, payload: current, context: eventContext(origin, userId, Date.now()) });
    const outcome = await callHandler(h.url, body, {
      secret: hook.x_webhook_secret, timeoutMs: Math.min(hook.sync_hook_timeout_seconds * 1000, left), scriptMemoryMb: hook.x_delivery.x_script_memory_mb,
    });
    if (!outcome.ok) return fail(outcome.error ?? "no answer", { status_code: outcome.statusCode, latency_ms: Math.round(outcome.latencyMs) });
    const parsed = parseHookResponse(outcome.response);
    if (typeof parsed === "string") return fail(parsed, { latency_ms: Math.round(outcome.latencyMs) });
    if (!parsed.is_allowed) return { allowed: false, title: parsed.title, reason: parsed.reason, failed: false };
    current = applyMutations(type, current, parsed.mutations);
    mutations = mergeMutations(mutations, parsed.mutations);
  }
  return { allowed: true, payload: current, mutations };
}
