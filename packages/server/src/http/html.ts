// Server-rendered HTML with every interpolation escaped; no client framework.
import { PALETTE_CSS, type ColorScheme } from "./theme.ts";

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export interface PageOptions {
  title: string;
  body: string;
  /** BCP 47 tag of the page's language. */
  lang?: string;
  dir?: "ltr" | "rtl";
  /** The app name in the title (ui.app_name, default Gatehouse). */
  productName?: string;
  wide?: boolean;
  /** light / dark pin the palette; auto (the default) follows the browser's prefers-color-scheme. */
  colorScheme?: ColorScheme;
  /** A brand line above the page's content: the configured logo and/or app name. */
  brand?: { name: string | null; logo: boolean } | null;
}

const META_COLOR_SCHEME: Record<ColorScheme, string> = { light: "light", dark: "dark", auto: "light dark" };

function brandHeader(brand: PageOptions["brand"], productName: string): string {
  if (!brand || (!brand.name && !brand.logo)) return "";
  // The logo is decoration next to the name; alone, it carries the name as its alt text.
  const logo = brand.logo ? `<img class="brand-logo" src="/_gatehouse/logo" alt="${brand.name ? "" : escapeHtml(productName)}">` : "";
  const name = brand.name ? `<span class="brand-name">${escapeHtml(brand.name)}</span>` : "";
  return `<header class="brand">${logo}${name}</header>\n`;
}

/**
 * The one frame of every hosted page: login, sign-up, account, consent, errors, logout. Styles and
 * icons come from our origin only (CSP style-src/img-src 'self'): ui.css and account.css are built in,
 * theme.css carries the configured colours and custom CSS, the favicon is the configured or default one.
 */
export function page(options: PageOptions): string {
  const scheme = options.colorScheme ?? "auto";
  const pinned = scheme === "auto" ? "" : ` data-color-scheme="${scheme}"`;
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? "en")}" dir="${options.dir ?? "ltr"}"${pinned}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="color-scheme" content="${META_COLOR_SCHEME[scheme]}">
<title>${escapeHtml(options.title)} · ${escapeHtml(options.productName ?? "Gatehouse")}</title>
<link rel="icon" href="/_gatehouse/favicon">
<link rel="stylesheet" href="/_gatehouse/ui.css">
<link rel="stylesheet" href="/_gatehouse/account.css">
<link rel="stylesheet" href="/_gatehouse/theme.css">
</head>
<body>
<main class="card${options.wide ? " wide" : ""}">
${brandHeader(options.brand, options.productName ?? "Gatehouse")}${options.body}
</main>
</body>
</html>`;
}

/** The body of a page that only says what went wrong (or what happened), with an optional way on. */
export function problemBody(title: string, message: string, link?: { href: string; label: string }): string {
  const more = link ? `\n<p class="alt"><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : "";
  return `<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(message)}</p>${more}`;
}

export function errorPage(title: string, message: string): string {
  return page({ title, body: problemBody(title, message) });
}

// Logical properties (margin-inline, text-align:start…) so right-to-left pages mirror by themselves.
export const UI_CSS = `
${PALETTE_CSS}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--text)}
.card{width:min(100%,26rem);margin:1rem;padding:2rem;background:var(--surface);border-radius:12px;box-shadow:0 1px 3px var(--shadow)}
.brand{display:flex;align-items:center;gap:.6rem;margin-block-end:1.25rem;font-weight:700;font-size:1.1rem}
.brand-logo{max-height:40px;max-width:160px}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password],input[type=text]{width:100%;padding:.6rem .7rem;border:1px solid var(--border);border-radius:8px;font:inherit;color:inherit;background:var(--surface)}
input:focus,button:focus,a:focus{outline:3px solid var(--focus);outline-offset:1px}
button{margin-top:1.5rem;width:100%;padding:.7rem;border:0;border-radius:8px;background:var(--primary);color:var(--on-primary);font:inherit;font-weight:600;cursor:pointer}
.error{background:var(--error-bg);color:var(--error-text);padding:.6rem .8rem;border-radius:8px}
.alt{margin-top:1.25rem;text-align:center}
`;
