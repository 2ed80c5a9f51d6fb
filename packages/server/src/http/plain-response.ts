// A response as plain data, so the same endpoint logic can be written by Fastify or by the fast
// lane (raw node:http) without either knowing about the other.
import type { FastifyReply } from "fastify";
import type { ServerResponse } from "node:http";

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

export function sendPlain(reply: FastifyReply, r: PlainResponse): FastifyReply {
  return reply.code(r.status).headers(r.headers).send(r.body);
}

export function writePlain(res: ServerResponse, r: PlainResponse, options: { head: boolean; extraHeaders?: Record<string, string> }): void {
  const headers = options.extraHeaders || r.headers["content-length"] === undefined
    ? { ...r.headers, ...options.extraHeaders, "content-length": String(Buffer.byteLength(r.body)) }
    : r.headers;
  res.writeHead(r.status, headers);
  res.end(options.head ? undefined : r.body);
}
