// Hosted-UI test helpers: an authorization request for the test SPA client (PKCE with the account
// fixture's verifier) and branding files for ui.* config.
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SPA_CLIENT } from "../support/server.ts";
import { VERIFIER } from "../account/fixture.ts";

/** An authorization URL with extra parameters (ui_locales, x_color_scheme…). */
export function authorizeUrl(base: string, extra: Record<string, string>): string {
  const url = new URL(`${base}/oauth2/authorize`);
  url.search = new URLSearchParams({
    client_id: SPA_CLIENT.client_id, redirect_uri: SPA_CLIENT.redirect_uris[0], response_type: "code", scope: "openid",
    code_challenge: createHash("sha256").update(VERIFIER).digest("base64url"), code_challenge_method: "S256", ...extra,
  }).toString();
  return url.toString();
}

// A 1×1 PNG.
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

export function brandFiles(): { dir: string; logo: string; favicon: string; css: string } {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-brand-"));
  const files = { dir, logo: join(dir, "logo.png"), favicon: join(dir, "icon.png"), css: join(dir, "brand.css") };
  writeFileSync(files.logo, PNG);
  writeFileSync(files.favicon, PNG);
  writeFileSync(files.css, ".card{border-top:6px solid rgb(10, 125, 80)}\n");
  return files;
}
