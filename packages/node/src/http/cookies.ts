// Minimal RFC 6265 cookie reading and writing on node:http, so the SDK needs no framework.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Reads one cookie from a Cookie header; the first occurrence wins. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      let value = part.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      return value;
    }
  }
  return undefined;
}

export function requestCookie(req: IncomingMessage, name: string): string | undefined {
  return readCookie(req.headers.cookie, name);
}

export interface CookieAttributes {
  maxAgeSeconds: number;
  secure: boolean;
  path?: string;
}

/** HttpOnly and SameSite=Lax always: scripts never need these, and Lax still rides top-level redirects. */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes): string {
  const parts = [`${name}=${value}`, `Path=${attrs.path ?? "/"}`, "HttpOnly", "SameSite=Lax"];
  if (attrs.maxAgeSeconds <= 0) parts.push("Max-Age=0", "Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  else parts.push(`Max-Age=${Math.floor(attrs.maxAgeSeconds)}`);
  if (attrs.secure) parts.push("Secure");
  return parts.join("; ");
}

/** Adds a Set-Cookie line, keeping lines already set (by us or the app) for other cookies. */
export function appendSetCookie(res: ServerResponse, line: string): void {
  const name = line.slice(0, line.indexOf("="));
  const existing = res.getHeader("set-cookie");
  const lines = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  // A later write for the same cookie replaces an earlier one in this response.
  res.setHeader("set-cookie", [...lines.filter((l) => !l.startsWith(`${name}=`)), line]);
}
