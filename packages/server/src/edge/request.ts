// The request value handed to endpoints. A class, so the per-request cost is one allocation: the
// cookie, query and form readers parse only when an endpoint asks.
import type { IncomingHttpHeaders } from "node:http";
import { OAuthError } from "../oauth/errors.ts";
import { requireFormBody } from "../oauth/params.ts";
import { parseFormStrict } from "../account/ui/form.ts";
import type { ClientInfo } from "../session/idp-sessions.ts";
import { readCookie } from "./cookies.ts";
import type { EdgeRequest } from "./types.ts";

const EMPTY: Record<string, string | string[]> = Object.freeze(Object.create(null));

function parseOrRefuse(text: string, what: string): Record<string, string | string[]> {
  try {
    return parseFormStrict(text);
  } catch {
    throw new OAuthError("invalid_request", `malformed ${what}`, { redirectable: false });
  }
}

export class IncomingEdgeRequest implements EdgeRequest {
  constructor(
    readonly id: string,
    readonly method: string,
    readonly path: string,
    readonly headers: IncomingHttpHeaders,
    readonly client: ClientInfo,
    private readonly rawQuery: string,
    private readonly body: string | undefined,
  ) {}

  cookie(name: string): string | undefined {
    return readCookie(this.headers.cookie, name);
  }

  query(): Record<string, string | string[]> {
    return this.rawQuery ? parseOrRefuse(this.rawQuery, "query string") : EMPTY;
  }

  form(): Record<string, string | string[]> {
    if (this.body === undefined) return EMPTY;
    requireFormBody(this.headers["content-type"]);
    return parseOrRefuse(this.body, "form body");
  }

  bodyText(): string {
    return this.body ?? "";
  }
}

/** A request value built by hand: for tests and for calling an endpoint without a socket. */
export function edgeRequest(init: { method?: string; path: string; query?: string; headers?: IncomingHttpHeaders; body?: string; client?: ClientInfo; id?: string }): EdgeRequest {
  return new IncomingEdgeRequest(init.id ?? "test", init.method ?? "GET", init.path, init.headers ?? {}, init.client ?? { ip: "127.0.0.1", userAgent: "" }, init.query ?? "", init.body);
}
