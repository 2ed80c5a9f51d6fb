// The IdP `session` cookie, defined once: its name, its attributes (HttpOnly, SameSite=Lax, Secure on
// https, Domain = the cookie domain) and the set/clear helpers every page and endpoint uses.
import type { FastifyReply } from "fastify";
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

const attributes = (c: CookieSettings) => ({ path: "/", domain: c.domain, secure: c.secure, httpOnly: true, sameSite: "lax" as const });

export interface SetCookieOptions {
  path: string;
  domain?: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite: "lax" | "strict";
  maxAge?: number;
}

/** A Set-Cookie header value (RFC 6265 §4.1); a cleared cookie has Max-Age=0 and an expiry in the past. */
export function serializeCookie(name: string, value: string, o: SetCookieOptions): string {
  let s = `${name}=${encodeURIComponent(value)}`;
  if (o.maxAge !== undefined) s += `; Max-Age=${Math.floor(o.maxAge)}`;
  if (o.maxAge === 0) s += "; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
  if (o.domain) s += `; Domain=${o.domain}`;
  s += `; Path=${o.path}`;
  if (o.httpOnly) s += "; HttpOnly";
  if (o.secure) s += "; Secure";
  return `${s}; SameSite=${o.sameSite === "lax" ? "Lax" : "Strict"}`;
}

/** Set-Cookie header values, for the edge's plain responses. */
export const sessionCookieHeader = (c: CookieSettings, value: string): string => serializeCookie(c.name, value, { ...attributes(c), maxAge: c.maxAge });
export const clearedSessionCookieHeader = (c: CookieSettings): string => serializeCookie(c.name, "", { ...attributes(c), maxAge: 0 });

/** The same, on a Fastify reply (pages). */
export function setSessionCookie(reply: FastifyReply, c: CookieSettings, value: string): void {
  reply.setCookie(c.name, value, { ...attributes(c), maxAge: c.maxAge });
}
export function clearSessionCookie(reply: FastifyReply, c: CookieSettings): void {
  reply.clearCookie(c.name, attributes(c));
}
