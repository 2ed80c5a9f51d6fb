// Redirect URIs no client registers: our own hosted pages, which the SDKs' open(Page.Settings) asks
// to land on (`<issuer>/settings`, with `?` and ui_locales / x_color_scheme from openURL). Authgear
// allows its whole origin implicitly; we allow exactly these pages, compared as strings before any
// URL normalisation, so `/settings/../oauth2`, `/settings%2F..`, `/settingsX` or another origin
// never pass.

/** Authgear's `Page` values (authgear-sdk-js core/types.ts). */
export const HOSTED_PAGES = ["/settings", "/settings/identities"] as const;

/** Query parameters the SDKs' openURL adds; their values may carry nothing but tags and a scheme. */
const QUERY = /^(?:(?:ui_locales=(?:[A-Za-z0-9_+-]|%20){1,200}|x_color_scheme=(?:light|dark|auto))(?:&(?=.)|$))*$/;

export function isHostedPageRedirect(issuer: string, raw: string): boolean {
  const origin = new URL(issuer).origin;
  if (!raw.startsWith(origin + "/")) return false;
  const rest = raw.slice(origin.length);
  const q = rest.indexOf("?");
  const path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? "" : rest.slice(q + 1);
  if (!(HOSTED_PAGES as readonly string[]).includes(path) || !QUERY.test(query)) return false;
  // The same page once parsed: nothing in the string means something else to a URL parser.
  try {
    const u = new URL(raw);
    return u.origin === origin && u.pathname === path && u.username === "" && u.password === "" && u.hash === "";
  } catch {
    return false;
  }
}
