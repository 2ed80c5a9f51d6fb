// Authgear's JSON API envelope (pkg/api: `{"result": …}` or `{"error": {name, reason, message, code, info?}}`),
// which the SDKs read on their non-OIDC endpoints (authgear-sdk-js core/client.ts _request, error.ts):
// /oauth2/app_session_token, /oauth2/challenge, /api/anonymous_user/*. One module for all of them.
import { jsonResponse } from "../edge/responses.ts";
import type { EdgeResponse } from "../edge/types.ts";

/** Authgear's error names and their HTTP status (pkg/api/apierrors/kinds.go). */
const STATUS = { BadRequest: 400, Invalid: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, TooManyRequest: 429, RequestEntityTooLarge: 413 } as const;
export type ApiErrorName = keyof typeof STATUS;

export function apiResult(result: unknown, headers: Record<string, string> = {}): EdgeResponse {
  return jsonResponse(200, { result }, headers);
}

export function apiError(name: ApiErrorName, reason: string, message: string, info?: Record<string, unknown>): EdgeResponse {
  const code = STATUS[name];
  // Authgear's APIError has `info,omitempty`: an empty one is left out.
  return jsonResponse(code, { error: { name, reason, message, code, ...(info && Object.keys(info).length > 0 ? { info } : {}) } });
}

/**
 * Reads a JSON object body as Authgear's BindJSONBody does: content type application/json (charset
 * utf-8 at most), then the schema. Null and the error response when the body does not pass.
 */
export function readJsonObject(contentType: string | undefined, body: string): { ok: true; value: Record<string, unknown> } | { ok: false; response: EdgeResponse } {
  const media = (contentType ?? "").split(";").map((s) => s.trim().toLowerCase());
  const params = media.slice(1).filter(Boolean);
  if (media[0] !== "application/json" || params.length > 1 || (params.length === 1 && params[0] !== "charset=utf-8")) {
    return { ok: false, response: apiError("BadRequest", "BadRequest", "request content type is invalid") };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, response: invalidBody([{ kind: "type", location: "", details: { expected: "JSON" } }]) };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, response: invalidBody([{ kind: "type", location: "", details: { expected: ["object"] } }]) };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Authgear's schema-validation failure (pkg/util/validation): 400 Invalid / ValidationFailed. */
export function invalidBody(causes: { kind: string; location: string; details?: Record<string, unknown> }[]): EdgeResponse {
  return apiError("Invalid", "ValidationFailed", "invalid request body", { causes });
}
