// A request part checked against its schema, or a 400 naming each field that failed: the REST
// routes and the GraphQL façade refuse the same input in the same words.
import type { z } from "zod";
import { AdminError } from "./errors.ts";
import { errorsInWords, issueInWords } from "./validation-words.ts";

export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const errors = result.error.issues.map(issueInWords);
  throw new AdminError("GH_ADMIN_INVALID_REQUEST", errorsInWords(where, errors), errors);
}
