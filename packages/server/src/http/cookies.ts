// The IdP `session` cookie (HttpOnly, SameSite=Lax, Secure on https, Domain = cookie domain).
import { parse as parseDomain } from "tldts";
import type { Config } from "../config/schema.ts";

export interface CookieSettings {
  name: string;
  domain: string | undefined;
  secure: boolean;
  maxAge: number;
}

/**
 * Authgear's default cookie domain: the public host minus its first label, so apps on sibling
 * subdomains share the session — but never above the registrable domain (eTLD+1), and no Domain
 * at all for IP addresses and single-label hosts such as localhost.
 */
export function deriveCookieDomain(host: string): string | undefined {
  const info = parseDomain(host, { allowPrivateDomains: true });
  if (info.isIp || !info.domain || !host.includes(".")) return undefined;
  const parent = host.split(".").slice(1).join(".");
  return parent.length >= info.domain.length && parent.endsWith(info.domain) ? parent : info.domain;
}

export function sessionCookieSettings(config: Config): CookieSettings {
  const url = new URL(config.http.public_origin);
  return {
    name: config.session.cookie_name,
    domain: config.http.cookie_domain ?? deriveCookieDomain(url.hostname),
    secure: url.protocol === "https:",
    maxAge: config.session.lifetime_seconds,
  };
}
