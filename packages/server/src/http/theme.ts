// The hosted pages' colours as CSS custom properties: a light and a dark palette, chosen by the
// browser (prefers-color-scheme) unless the page pins one (<html data-color-scheme="light|dark">,
// from the app's x_color_scheme or the ui.*_theme_disabled config). Served from our origin, so the
// CSP keeps style-src 'self' (no inline styles).

export type ColorScheme = "light" | "dark" | "auto";
type Palette = Record<string, string>;

export const LIGHT: Palette = {
  bg: "#f4f5f7", surface: "#fff", text: "#1d2330", muted: "#5b6272", border: "#b9bfcc", line: "#e3e6ec",
  primary: "#2456d3", "on-primary": "#fff", link: "#2456d3", focus: "#7aa7ff", "code-bg": "#f4f5f7", shadow: "rgba(0,0,0,.12)",
  "error-bg": "#fdecec", "error-text": "#8a1c1c", "notice-bg": "#e8f3ec", "notice-text": "#17502c",
  "warn-bg": "#fff4e0", "warn-text": "#7a4b00", danger: "#b42318", "on-danger": "#fff",
};

// The portal's dark palette (packages/portal/public/style.css), so both look alike.
export const DARK: Palette = {
  bg: "#0f1422", surface: "#171e30", text: "#e6e9f2", muted: "#9aa3bb", border: "#3a4566", line: "#2a3350",
  primary: "#8299ff", "on-primary": "#0b1020", link: "#8299ff", focus: "#91a7ff", "code-bg": "#1c2439", shadow: "rgba(0,0,0,.5)",
  "error-bg": "#3a1c22", "error-text": "#ffb3b3", "notice-bg": "#183123", "notice-text": "#9ee6ad",
  "warn-bg": "#3a2a18", "warn-text": "#ffc078", danger: "#ff6b6b", "on-danger": "#0b1020",
};

const vars = (p: Palette): string => Object.entries(p).map(([k, v]) => `--${k}:${v}`).join(";");

/** Rules giving `light` to light pages and `dark` to dark ones (pinned, or auto in a dark browser). */
export function schemeRules(light: Palette, dark: Palette, extra = { light: "", dark: "" }): string {
  const l = vars(light) + extra.light;
  const d = vars(dark) + extra.dark;
  return `:root{${l}}
@media (prefers-color-scheme: dark){:root:not([data-color-scheme=light]){${d}}}
:root[data-color-scheme=dark]{${d}}`;
}

export const PALETTE_CSS = schemeRules(LIGHT, DARK, { light: ";color-scheme:light", dark: ";color-scheme:dark" });

const rgb = (hex: string): number[] => {
  const h = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join("") : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
};
const toHex = (c: number[]): string => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

/** WCAG 2.x relative luminance of #rgb / #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Text on a button of this colour: white unless white would be hard to read (contrast under 4.5:1). */
export const textOn = (hex: string): string => (contrast(hex, "#ffffff") >= 4.5 ? "#fff" : "#0b1020");

/**
 * The colour as link text on `background`: itself when it reads (WCAG AA, 4.5:1), else mixed toward
 * white (dark backgrounds) or black (light ones) just enough. Buttons keep the brand colour as is.
 */
export function readableOn(hex: string, background: string): string {
  const toward = luminance(background) < 0.5 ? [255, 255, 255] : [0, 0, 0];
  const from = rgb(hex);
  for (let t = 0; t <= 1; t += 0.05) {
    const mixed = toHex(from.map((v, i) => v + (toward[i] - v) * t));
    if (contrast(mixed, background) >= 4.5) return mixed;
  }
  return toHex(toward);
}

/** The config's primary colours as overrides of the palette (empty when none is set). */
export function primaryColorCss(o: { light?: string; dark?: string }): string {
  if (!o.light && !o.dark) return "";
  const light = o.light ?? LIGHT.primary;
  const dark = o.dark ?? o.light ?? DARK.primary;
  return schemeRules(
    { primary: light, "on-primary": textOn(light), link: readableOn(light, LIGHT.surface) },
    { primary: dark, "on-primary": textOn(dark), link: readableOn(dark, DARK.surface) },
  );
}
