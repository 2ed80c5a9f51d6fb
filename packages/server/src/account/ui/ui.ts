// How a page speaks and looks for one request: language, direction, colour scheme, branding. Plain
// data in, so Fastify pages (respond.ts uiFor) and edge pages (the signed-out page) decide alike.
import type { Context } from "../../context.ts";
import { translator, type Translate } from "../messages/index.ts";
import { negotiateLanguage, textDirection } from "../messages/negotiate.ts";
import type { ColorScheme } from "../../http/theme.ts";
import { brandOf, colorSchemeFor, type Brand } from "./branding.ts";
import type { EdgeRequest } from "../../edge/types.ts";
import { COLOR_SCHEME_COOKIE, UI_LOCALES_COOKIE } from "../../oauth/authorize/ui-cookies.ts";

export interface Ui {
  t: Translate;
  locale: string;
  dir: "ltr" | "rtl";
  colorScheme: ColorScheme;
  brand: Brand;
}

/** What the request asked for, each source as received (any may be missing). */
export interface UiSources {
  /** `ui_locales` from the page's query and/or the pending sign-in flow, most preferred first. */
  uiLocales?: string;
  /** The `ui_locales` cookie /oauth2/authorize set. */
  cookieLocales?: string;
  acceptLanguage?: string;
  /** x_color_scheme: the page's query, else the flow's, else its cookie. */
  colorScheme?: string;
}

/**
 * The page's language: ui_locales, then the cookie, then Accept-Language, then
 * localization.fallback_language (account/messages/negotiate.ts).
 */
export function uiOf(ctx: Context, s: UiSources): Ui {
  const locale = negotiateLanguage(
    { uiLocales: s.uiLocales, cookie: s.cookieLocales, acceptLanguage: s.acceptLanguage },
    { supported: ctx.config.localization.supported_languages, fallback: ctx.config.localization.fallback_language },
  );
  return { t: translator(locale), locale, dir: textDirection(locale), colorScheme: colorSchemeFor(ctx.config, s.colorScheme), brand: brandOf(ctx.config) };
}

/** The same for a page the edge answers itself (sign-out, the sign-in hand-back's errors). */
export function uiForEdge(ctx: Context, request: EdgeRequest, uiLocales?: string): Ui {
  const language = request.headers["accept-language"];
  return uiOf(ctx, {
    uiLocales, cookieLocales: request.cookie(UI_LOCALES_COOKIE),
    acceptLanguage: typeof language === "string" ? language : undefined, colorScheme: request.cookie(COLOR_SCHEME_COOKIE),
  });
}
