// Reading a submitted form defensively: every field a string of bounded length, no control
// characters, nothing repeated. Anything else is hostile or broken, and answered with a 400 page.
import { isCleanText } from "../../input/text.ts";

export type FormSpec = Record<string, number>;
export type FormFields<S extends FormSpec> = { [K in keyof S]: string };

export function readForm<S extends FormSpec>(body: unknown, spec: S): FormFields<S> | null {
  const source = (body ?? {}) as Record<string, unknown>;
  if (typeof source !== "object" || Array.isArray(source)) return null;
  const out = {} as Record<string, string>;
  for (const [name, max] of Object.entries(spec)) {
    const value = Object.prototype.hasOwnProperty.call(source, name) ? source[name] : "";
    if (typeof value !== "string" || value.length > max || !isCleanText(value, "text")) return null;
    out[name] = value;
  }
  return out as FormFields<S>;
}

const malformed = (): Error => Object.assign(new Error("malformed form body"), { statusCode: 400 });

/** application/x-www-form-urlencoded decoding of one name or value; throws on a bad escape. */
function decodeFormPart(s: string): string {
  // Most names and values (grant types, ids, base64url tokens) need no decoding at all.
  if (s.indexOf("%") < 0 && s.indexOf("+") < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    throw malformed();
  }
}

/** The form body parser for the whole server: strict percent-decoding (RFC 3986 §2.1, UTF-8). */
export function parseFormStrict(body: string): Record<string, string | string[]> {
  // Browsers percent-encode every non-ASCII byte; a replacement character means raw invalid UTF-8.
  if (body.includes("\uFFFD")) throw malformed();
  const out: Record<string, string | string[]> = Object.create(null);
  for (const part of body.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decodeFormPart(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeFormPart(part.slice(eq + 1));
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
