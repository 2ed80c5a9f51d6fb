// One admin API route as data (routes-table.ts lists them; feature files such as roles.ts add theirs).
import type { z } from "zod";
import type { Context } from "../context.ts";
import type { Actor } from "./operations.ts";

export interface AdminRoute {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Fastify-style path under /_api/admin, e.g. /users/:id */
  path: string;
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
  /** A larger body limit than the server-wide one (bytes), for bulk endpoints such as users/import. */
  bodyLimit?: number;
  handle(ctx: Context, input: { actor: Actor; params: Record<string, string>; query: any; body: any }): Promise<unknown>;
}
