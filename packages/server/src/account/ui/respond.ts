// How account pages leave the server: HTML with our CSP, in the reader's language.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../context.ts";
import { problemBody } from "../../http/html.ts";
import { setPageSecurityHeaders } from "../../http/security-headers.ts";
import type { MessageKey } from "../messages/index.ts";
import { UI_LOCALES_COOKIE, COLOR_SCHEME_COOKIE } from "../../oauth/authorize/ui-cookies.ts";
import { uiOf, type Ui } from "./ui.ts";
import { accountPage } from "./layout.ts";

export type { Ui };

/** What the pending sign-in flow asked for, when the page serves one (stored with the flow). */
export interface FlowUiParams {
  ui_locales?: string;
  x_color_scheme?: string;
}

const queryValue = (request: FastifyRequest, name: string): string | undefined => {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === "string" ? v : undefined;
};

/** The Ui for a page: `ui_locales` / `x_color_scheme` in its own query first, then the flow's, then the cookies. */
export function uiFor(ctx: Context, request: FastifyRequest, flow: FlowUiParams = {}): Ui {
  const header = request.headers["accept-language"];
  return uiOf(ctx, {
    uiLocales: [queryValue(request, "ui_locales"), flow.ui_locales].filter(Boolean).join(" "),
    cookieLocales: request.cookies[UI_LOCALES_COOKIE],
    acceptLanguage: typeof header === "string" ? header : undefined,
    colorScheme: queryValue(request, "x_color_scheme") ?? flow.x_color_scheme ?? request.cookies[COLOR_SCHEME_COOKIE],
  });
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
