// The authorization request's UI hints, kept in cookies for the pages of the sign-in that follows
// (like Authgear's `ui_locales` cookie): every page of the flow — verification, TOTP, the emails it
// sends — stays in the language and colour scheme the app asked for. Session cookies, host-only,
// readable by nothing but our pages (HttpOnly); a new request with the parameter replaces them.
import { serializeCookie } from "../../session/cookie.ts";
import type { Params } from "../params.ts";

export const UI_LOCALES_COOKIE = "ui_locales";
export const COLOR_SCHEME_COOKIE = "x_color_scheme";

/** ui_locales is a list of BCP 47 tags: anything else is not kept (and never reaches a header). */
const UI_LOCALES = /^[A-Za-z0-9_-]{1,35}( [A-Za-z0-9_-]{1,35}){0,9}$/;

export function uiHintCookies(p: Params, secure: boolean): string[] {
  const cookies: string[] = [];
  const o = { path: "/", httpOnly: true, sameSite: "lax" as const, secure };
  const locales = p.ui_locales?.trim().replace(/\s+/g, " ");
  if (locales && UI_LOCALES.test(locales)) cookies.push(serializeCookie(UI_LOCALES_COOKIE, locales, o));
  const scheme = p.x_color_scheme;
  if (scheme === "light" || scheme === "dark" || scheme === "auto") cookies.push(serializeCookie(COLOR_SCHEME_COOKIE, scheme, o));
  return cookies;
}
