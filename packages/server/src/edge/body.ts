// Request bodies: refused on Content-Length before a byte is read, and cut off at the limit when
// they arrive without one (chunked), so a hostile client cannot make us buffer more than the limit.
import type { IncomingMessage } from "node:http";

export const BODY_LIMIT_BYTES = 64 * 1024;

/** True when the declared length is over the limit (or unparseable: node rejects those already). */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && !(Number(declared) <= limit);
}

/** The body as UTF-8, or null as soon as it passes the limit (the rest is left unread). */
export function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}
