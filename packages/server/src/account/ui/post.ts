// The common front of every account form POST: CSRF (double submit + Origin), then a strict read
// of the expected fields. Refusals are whole pages with the right status and change nothing.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { csrfToken, csrfValid } from "../../authui/csrf.ts";
import { sessionCookieSettings } from "../../session/cookie.ts";
import { clientInfo } from "../../http/client-info.ts";
import { callerFromCookie, type Caller } from "../../session/caller.ts";
import { readForm, type FormFields, type FormSpec } from "./form.ts";
import { badForm, formExpired, uiFor, type Ui } from "./respond.ts";

export type Accepted<S extends FormSpec> = { ok: true; fields: FormFields<S>; ui: Ui; csrf: string } | { ok: false; reply: FastifyReply };

export function acceptForm<S extends FormSpec>(ctx: Context, request: FastifyRequest, reply: FastifyReply, spec: S): Accepted<S> {
  const ui = uiFor(ctx, request);
  const raw = (request.body ?? {}) as Record<string, unknown>;
  if (!csrfValid(request, raw.csrf, ctx.issuer)) return { ok: false, reply: formExpired(ctx, reply, ui) };
  const fields = readForm(raw, spec);
  if (!fields) return { ok: false, reply: badForm(ctx, reply, ui) };
  return { ok: true, fields, ui, csrf: pageCsrf(ctx, request, reply) };
}

export function pageCsrf(ctx: Context, request: FastifyRequest, reply: FastifyReply): string {
  return csrfToken(request, reply, sessionCookieSettings(ctx.config).secure);
}

/** The signed-in user of this browser (the `session` cookie), or null. */
export async function sessionCaller(ctx: Context, request: FastifyRequest): Promise<Caller | null> {
  const value = request.cookies[sessionCookieSettings(ctx.config).name];
  return value ? callerFromCookie(ctx, value, clientInfo(request)) : null;
}
