// Whether passkeys are on, and who the WebAuthn relying party is. Authgear's names are the switch:
// `authentication.identities` and `authentication.primary_authenticators` must both list `passkey`
// (the identity and its authenticator, which Authgear keeps in pairs). The RP ID is the public
// host, or the cookie domain when the session cookie spans subdomains (session/cookie.ts), so a
// passkey made on one app of the domain signs in on the others; the origin every ceremony must
// come from is our issuer's.
import type { Config } from "../../config/schema.ts";
import { sessionCookieSettings } from "../../session/cookie.ts";

export function passkeysEnabled(config: Config): boolean {
  const a = config.authentication;
  return a.identities.includes("passkey") && a.primary_authenticators.includes("passkey");
}

export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingParty(config: Config): RelyingParty {
  const url = new URL(config.http.public_origin);
  const host = url.hostname;
  const cookieDomain = sessionCookieSettings(config).domain?.replace(/^\./, "").toLowerCase();
  // A cookie domain that does not contain the host (a misconfiguration) is no valid RP ID for it.
  const id = cookieDomain && (host === cookieDomain || host.endsWith(`.${cookieDomain}`)) ? cookieDomain : host;
  return { id, name: host, origin: url.origin };
}
