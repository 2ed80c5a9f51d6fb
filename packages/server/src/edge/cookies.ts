// Reading the Cookie header without ever throwing: any site on the parent domain can set a cookie
// our resolver then sees (`session=%zz`), and the resolver must still answer 200.

/** Percent-decodes a cookie value; a malformed escape leaves the value as it came (RFC 6265 §5.4 is bytes). */
export function decodeCookieValue(value: string): string {
  if (value.indexOf("%") < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The first cookie of this name (as browsers order them, most specific path first), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(";", start);
    if (end < 0) end = header.length;
    const eq = header.indexOf("=", start);
    if (eq > start && eq < end && header.slice(start, eq).trim() === name) {
      let value = header.slice(eq + 1, end).trim();
      if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) value = value.slice(1, -1);
      return decodeCookieValue(value);
    }
    start = end + 1;
  }
  return undefined;
}
