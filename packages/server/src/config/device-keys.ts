// Config for device keys (anonymous users, biometric sign-in) and device SSO, with Authgear's names:
// the client fields `x_pre_authenticated_url_enabled` / `x_pre_authenticated_url_allowed_origins`
// (pkg/lib/config/oauth.go) and `identity.biometric.list_enabled` (pkg/lib/config/identity.go).
// Whether anonymous and biometric identities are on at all is `authentication.identities`.
import { z } from "zod";

const httpOrigin = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.origin === s;
  } catch {
    return false;
  }
}, "must be an http(s) origin such as https://app.example.com, without a path or a trailing slash");

/** Spread into each `oauth.clients[]` entry. */
export const preAuthenticatedUrlClientFields = {
  x_pre_authenticated_url_enabled: z.boolean().default(false)
    .describe("Native apps may ask for the device_sso and pre-authenticated-url scopes and open web pages already signed in."),
  x_pre_authenticated_url_allowed_origins: z.array(httpOrigin).default([])
    .describe("Origins (audience) a pre-authenticated URL may be made for."),
};

/** Spread into `identity`, beside login_id and oauth. */
export const deviceKeyIdentityFields = {
  biometric: z.object({
    list_enabled: z.boolean().default(false).describe("Show the user's biometric devices on the settings page (Authgear's identity.biometric.list_enabled)."),
  }).prefault({}),
  x_anonymous: z.object({
    cleanup_inactive_after_days: z.number().int().min(0).max(3650).default(0)
      .describe("Delete anonymous users not seen for this many days (no key used, no live session or grant). 0 keeps them. Gatehouse's own field: Authgear has none."),
  }).prefault({}),
};
