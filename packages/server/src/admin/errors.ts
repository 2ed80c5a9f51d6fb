// Admin API errors: their own family with stable codes and RFC 9457 problem-details bodies.
import type { FieldError } from "./validation-words.ts";

export const adminErrorCodes = {
  GH_ADMIN_UNAUTHENTICATED: { status: 401, title: "Missing or invalid admin API key" },
  GH_ADMIN_NOT_FOUND: { status: 404, title: "No such resource" },
  GH_ADMIN_INVALID_REQUEST: { status: 400, title: "The request is invalid" },
  GH_ADMIN_CONFLICT: { status: 409, title: "The request conflicts with the current state" },
  GH_ADMIN_RATE_LIMITED: { status: 429, title: "Too many requests" },
  GH_ADMIN_INTERNAL: { status: 500, title: "Internal error" },
} as const;

export type AdminErrorCode = keyof typeof adminErrorCodes;

export class AdminError extends Error {
  readonly code: AdminErrorCode;
  readonly status: number;
  readonly detail: string;
  /** Per-field failures of a request that did not validate (validation-words.ts). */
  readonly errors: FieldError[] | undefined;

  constructor(code: AdminErrorCode, detail: string, errors?: FieldError[]) {
    super(`${code}: ${detail}`);
    this.name = "AdminError";
    this.code = code;
    this.status = adminErrorCodes[code].status;
    this.detail = detail;
    this.errors = errors;
  }

  toProblem(): Record<string, unknown> {
    return {
      type: `urn:gatehouse:admin:error:${this.code}`, title: adminErrorCodes[this.code].title, status: this.status, code: this.code, detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const notFound = (what: string): AdminError => new AdminError("GH_ADMIN_NOT_FOUND", `${what} not found`);
