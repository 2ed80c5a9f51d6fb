// How account pages leave the server: HTML with our CSP, in the reader's language.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { problemBody } from "../../http/html.ts";
import { setPageSecurityHeaders } from "../../http/security-headers.ts";
import { pickLocale, translator, type MessageKey, type Translate } from "../messages/index.ts";
import { accountPage } from "./layout.ts";

export interface Ui {
  t: Translate;
  locale: string;
}

export function uiFor(request: FastifyRequest): Ui {
  const locale = pickLocale(request.headers["accept-language"]);
  return { t: translator(locale), locale };
}

/**
 * Where our forms may end up (CSP form-action): login steps finish with a redirect to the app,
 * and Chromium applies form-action to the redirects that follow a form POST.
 */
export function formTargets(ctx: Context): string[] {
  return [...new Set(ctx.clients.all().flatMap((c) => c.redirect_uris.map((u) => new URL(u).origin)))];
}

export function sendHtml(ctx: Context, reply: FastifyReply, html: string, status = 200): FastifyReply {
  setPageSecurityHeaders(reply, formTargets(ctx));
  return reply.code(status).type("text/html; charset=utf-8").send(html);
}

/** 303 after a form POST (RFC 9110 §15.4.4), with the page headers (CSP form-action covers the hop). */
export function seeOther(ctx: Context, reply: FastifyReply, location: string): FastifyReply {
  setPageSecurityHeaders(reply, formTargets(ctx));
  return reply.redirect(location, 303);
}

/** A whole page that only says what went wrong, with an optional way on. */
export function sendProblemPage(
  ctx: Context, reply: FastifyReply, ui: Ui, status: number,
  keys: { title: MessageKey; message: MessageKey }, link?: { href: string; label: MessageKey },
): FastifyReply {
  const body = problemBody(ui.t(keys.title), ui.t(keys.message), link && { href: link.href, label: ui.t(link.label) });
  return sendHtml(ctx, reply, accountPage({ ...ui, title: ui.t(keys.title), body }), status);
}

export const badForm = (ctx: Context, reply: FastifyReply, ui: Ui): FastifyReply =>
  sendProblemPage(ctx, reply, ui, 400, { title: "error.bad_form.title", message: "error.bad_form.message" });

export const formExpired = (ctx: Context, reply: FastifyReply, ui: Ui): FastifyReply =>
  sendProblemPage(ctx, reply, ui, 403, { title: "error.form_expired.title", message: "error.form_expired.message" });

export const tooMany = (ctx: Context, reply: FastifyReply, ui: Ui, retryAfter: number): FastifyReply => {
  reply.header("retry-after", String(Math.max(1, retryAfter)));
  return sendProblemPage(ctx, reply, ui, 429, { title: "error.too_many.title", message: "error.too_many.message" });
};
