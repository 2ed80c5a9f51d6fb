// Authgear's JSON API envelope (pkg/api/apierrors, read by authgear-sdk-js authgear-core/src/client.ts
// _request and error.ts): `{"result": …}` on success, `{"error": {name, reason, message, code, info}}`
// otherwise, with the HTTP status the error's name implies.
import { jsonResponse } from "../edge/responses.ts";
import type { EdgeRequest, EdgeResponse } from "../edge/types.ts";

const STATUS = { Invalid: 400, BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, TooManyRequest: 429 } as const;
export type ApiErrorName = keyof typeof STATUS;

export class ApiError extends Error {
  constructor(readonly name: ApiErrorName, readonly reason: string, message: string, readonly info: Record<string, unknown> = {}) {
    super(message);
  }
}

export function apiResult(result: unknown, headers: Record<string, string> = {}): EdgeResponse {
  return jsonResponse(200, { result }, { "cache-control": "no-store", ...headers });
}

export function apiErrorResponse(err: ApiError): EdgeResponse {
  const code = STATUS[err.name];
  return jsonResponse(code, { error: { name: err.name, reason: err.reason, message: err.message, code, info: err.info } }, { "cache-control": "no-store" });
}

/** A JSON object body, or ApiError(Invalid): Authgear's httputil.BindJSONBody. */
export function jsonBody(request: EdgeRequest, maxLength = 8192): Record<string, unknown> {
  const type = String(request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new ApiError("BadRequest", "RequestBody", "request body must be application/json");
  const text = request.bodyText();
  if (text.length > maxLength) throw new ApiError("BadRequest", "RequestBody", "request body too large");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("BadRequest", "RequestBody", "invalid JSON body");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) invalid("", "type", "must be an object");
  return value as Record<string, unknown>;
}

/** A schema failure, shaped as Authgear's ValidationFailed (info.causes[]). */
export function invalid(location: string, kind: string, message: string): never {
  throw new ApiError("Invalid", "ValidationFailed", "invalid request body", { causes: [{ location, kind, details: { message } }] });
}

/** Runs an API handler: ApiErrors become the envelope; anything else is the edge's (logged 500). */
export async function answerApi(run: () => Promise<EdgeResponse>): Promise<EdgeResponse> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError) return apiErrorResponse(err);
    throw err;
  }
}
