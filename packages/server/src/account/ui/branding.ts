// What the configured branding (`ui.*`) means for a page: the app name, whether there is a logo, and
// which colour scheme to pin; plus the files it names, read once at start-up and served by us.
import { readFileSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import type { Config } from "../../config/schema.ts";
import { ConfigError } from "../../config/load.ts";
import { primaryColorCss, type ColorScheme } from "../../http/theme.ts";

export interface Brand {
  /** ui.app_name, or null (pages then say "Gatehouse" in the title and show no name line). */
  name: string | null;
  logo: boolean;
}

export const brandOf = (config: Config): Brand => ({ name: config.ui.app_name ?? null, logo: config.ui.logo_file !== undefined });

/**
 * The scheme a page is drawn in: pinned when the config disables one theme (Authgear's
 * ui.dark_theme_disabled / ui.light_theme_disabled), else what the app asked for with x_color_scheme
 * (the SDKs send light or dark), else auto (the browser's prefers-color-scheme).
 */
export function colorSchemeFor(config: Config, requested: string | null | undefined): ColorScheme {
  if (config.ui.dark_theme_disabled) return "light";
  if (config.ui.light_theme_disabled) return "dark";
  return requested === "light" || requested === "dark" ? requested : "auto";
}

export interface Asset {
  type: string;
  body: Buffer | string;
}

export interface BrandAssets {
  favicon: Asset;
  logo: Asset | null;
  /** The configured colours, then the operator's custom CSS: served as /_gatehouse/theme.css. */
  themeCss: string;
}

const TYPES: Record<string, string> = {
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
  ".svg": "image/svg+xml", ".ico": "image/x-icon", ".css": "text/css; charset=utf-8",
};
const MAX_ASSET_BYTES = 1024 * 1024;

// A gate in a rounded square, in the default primary blue: the icon until ui.favicon_file names one.
const DEFAULT_FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2456d3"/><path d="M8 25V13a8 8 0 0 1 16 0v12h-4V13a4 4 0 0 0-8 0v12z" fill="#fff"/></svg>`;

/** Reads a `ui.*_file` (relative to the working directory, like database.url); errors name the field. */
function readAsset(field: string, path: string): Asset {
  const full = resolve(path);
  let size: number;
  try {
    size = statSync(full).size;
  } catch (err) {
    throw new ConfigError(`ui.${field}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > MAX_ASSET_BYTES) throw new ConfigError(`ui.${field}: ${path} is ${size} bytes; keep it under 1 MiB`);
  try {
    return { type: TYPES[extname(full).toLowerCase()] ?? "application/octet-stream", body: readFileSync(full) };
  } catch (err) {
    throw new ConfigError(`ui.${field}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function loadBrandAssets(config: Config): BrandAssets {
  const ui = config.ui;
  const custom = ui.custom_css_file ? readAsset("custom_css_file", ui.custom_css_file).body.toString("utf8") : "";
  const colours = primaryColorCss({ light: ui.primary_color, dark: ui.primary_color_dark });
  return {
    favicon: ui.favicon_file ? readAsset("favicon_file", ui.favicon_file) : { type: TYPES[".svg"], body: DEFAULT_FAVICON },
    logo: ui.logo_file ? readAsset("logo_file", ui.logo_file) : null,
    themeCss: [colours, custom && `/* ui.custom_css_file */\n${custom}`].filter(Boolean).join("\n"),
  };
}
