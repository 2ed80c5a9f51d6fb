// Request parameters arrive from a query string or a form body. RFC 6749 §3.1: a parameter sent
// twice is an error; we also cap sizes so hostile input is refused early.
import { OAuthError } from "./errors.ts";
import { isCleanText } from "../input/text.ts";

// Names are echoed in error descriptions: only printable ones, and not at length.
const safeName = (key: string): string => (isCleanText(key, "identifier") && key.length <= 64 ? key : "(unprintable or too long)");

export type Params = Record<string, string>;
export const MAX_PARAM_LENGTH = 4096;

/** Flattens Fastify's parsed query/body into single string values, or says why it cannot. */
export function toParams(raw: unknown, options: { redirectable?: boolean } = {}): Params {
  // Null prototype: parameter names are the client's, and `__proto__=…` must be a parameter like
  // any other (an ordinary object would take it as its prototype), nor may `p.constructor` exist.
  const out: Params = Object.create(null) as Params;
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== "object") throw new OAuthError("invalid_request", "request body must be form-encoded", { redirectable: false });
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new OAuthError("invalid_request", `parameter ${safeName(key)} was sent more than once`, options);
    if (typeof value !== "string") throw new OAuthError("invalid_request", `parameter ${safeName(key)} must be a string`, options);
    if (value.length > MAX_PARAM_LENGTH) throw new OAuthError("invalid_request", `parameter ${safeName(key)} is too long`, options);
    // Parameter values are printable (RFC 6749 Appendix A: VSCHAR/NQCHAR plus spaces): no controls,
    // no NUL (PostgreSQL cannot store it), no lone surrogates. Names too: they are echoed and stored.
    if (!isCleanText(key, "line") || !isCleanText(value, "line")) {
      throw new OAuthError("invalid_request", `parameter ${safeName(key)} contains control characters or invalid Unicode`, options);
    }
    out[key] = value;
  }
  return out;
}

/** RFC 6749 §3.2 and RFC 7009 §2.1: the token and revocation endpoints take form bodies only. */
export function requireFormBody(contentType: string | undefined): void {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new OAuthError("invalid_request", "body must be application/x-www-form-urlencoded");
}
