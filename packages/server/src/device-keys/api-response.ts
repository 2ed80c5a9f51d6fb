// The device-key endpoints' errors as exceptions, answered in Authgear's JSON API envelope
// (http/authgear-api.ts, shared with /oauth2/app_session_token).
import type { EdgeRequest, EdgeResponse } from "../edge/types.ts";
import { apiError, apiResult, type ApiErrorName } from "../http/authgear-api.ts";

export { apiResult };

export class ApiError extends Error {
  constructor(readonly name: ApiErrorName, readonly reason: string, message: string, readonly info: Record<string, unknown> = {}) {
    super(message);
  }
}

export function apiErrorResponse(err: ApiError): EdgeResponse {
  return apiError(err.name, err.reason, err.message, err.info);
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
