// A client's token lifetime settings, defined once: the config file's client schema and the admin
// API's client PATCH both build on these fields, so the two can never disagree on what is allowed.
import { z } from "zod";

export const LIFETIME_BOUNDS = {
  // Authgear's floor. The ceiling bounds how long a revocation must be remembered (the revocation
  // log keeps events for the longest access token lifetime) and how stale a stolen token may be.
  access_token_lifetime_seconds: { min: 300, max: 30 * 86400 },
  refresh_token_lifetime_seconds: { min: 300, max: 10 * 365 * 86400 },
  refresh_token_idle_timeout_seconds: { min: 300, max: 10 * 365 * 86400 },
} as const;

const seconds = (field: keyof typeof LIFETIME_BOUNDS, what: string) =>
  z.number().int().min(LIFETIME_BOUNDS[field].min).max(LIFETIME_BOUNDS[field].max).describe(`${what} (${LIFETIME_BOUNDS[field].min}–${LIFETIME_BOUNDS[field].max} seconds).`);

export const tokenLifetimeFields = {
  access_token_lifetime_seconds: seconds("access_token_lifetime_seconds", "Lifetime of access tokens"),
  refresh_token_lifetime_seconds: seconds("refresh_token_lifetime_seconds", "Absolute lifetime of a refresh token grant"),
  refresh_token_idle_timeout_enabled: z.boolean(),
  refresh_token_idle_timeout_seconds: seconds("refresh_token_idle_timeout_seconds", "A grant unused this long expires"),
  refresh_token_rotation_enabled: z.boolean(),
  refresh_token_rotation_grace_period_seconds: z.number().int().min(0).max(300)
    .describe("Gatehouse's own field (Authgear has none): with rotation on, for this long after a rotation the replaced refresh token still works and yields the same new token, so concurrent refreshes (two tabs, a retried request) converge; after it, presenting the replaced token revokes the grant. 0: no grace."),
};
