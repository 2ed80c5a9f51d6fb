// The edge's two values: what a protocol endpoint is handed, and what it hands back. Endpoints are
// plain functions between them, so they are testable without a socket and know nothing of node:http.
import type { IncomingHttpHeaders } from "node:http";
import type { ClientInfo } from "../session/idp-sessions.ts";

export interface EdgeRequest {
  /** Unique per request; in every log line about it and in the `x-request-id` response header. */
  readonly id: string;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Client IP (after `http.trust_proxy`) and user agent. */
  readonly client: ClientInfo;
  /** One cookie's value; never throws, whatever the Cookie header holds. */
  cookie(name: string): string | undefined;
  /** The query string's parameters; throws an OAuthError (invalid_request) when it is malformed. */
  query(): Record<string, string | string[]>;
  /**
   * The form body's parameters (application/x-www-form-urlencoded only, RFC 6749 §3.2); throws an
   * OAuthError (invalid_request) for another content type or a malformed body. Empty for GET.
   */
  form(): Record<string, string | string[]>;
  /** The raw body of a route with `body: true` ("" for none): for the JSON APIs, which parse it themselves. */
  bodyText(): string;
}

/** A response as plain data. `stream`, when present, keeps the response open (server-sent events). */
export interface EdgeResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  /** The OAuth client the request was for, when known: for the access log. */
  clientId?: string;
  stream?: EventStream;
}

/** An open event stream: `start` is called once the head is written, and returns its clean-up. */
export interface EventStream {
  start(write: (chunk: string) => void): () => void;
}

export type Handler = (request: EdgeRequest) => EdgeResponse | Promise<EdgeResponse>;

export interface Route {
  path: string;
  /** Methods answered; HEAD is answered wherever GET is. `"*"`: any method (the resolver). */
  methods: readonly string[] | "*";
  handler: Handler;
  /** How errors leave this route: OAuth JSON (APIs) or an HTML page (browser navigations). */
  errors: "json" | "page";
  /** Credentialed CORS for the origins of registered redirect URIs (the browser SDK calls these). */
  cors?: boolean;
  /** Reads the body of a POST (up to the edge's limit); other routes never read one. */
  body?: boolean;
  /**
   * The answer when the handler fails unexpectedly (after the error is logged), instead of a 5xx:
   * the resolver's "not valid".
   */
  inDoubt?: () => EdgeResponse;
}
