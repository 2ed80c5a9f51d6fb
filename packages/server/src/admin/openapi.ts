// OpenAPI 3.1 for the admin API, generated from the route table's schemas.
import { z } from "zod";
import { adminRoutes } from "./routes-table.ts";
import { problemSchema } from "./schemas.ts";

const json = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

export function openApiDocument(issuer: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of adminRoutes) {
    const path = r.path.replace(/:([a-z]+)/g, "{$1}");
    const parameters = [...r.path.matchAll(/:([a-z]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (r.query) {
      const q = json(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) parameters.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema } as never);
    }
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      parameters,
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: json(r.body) } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: { description: "OK", content: { "application/json": { schema: json(r.response) } } },
        default: { description: "Error", content: { "application/problem+json": { schema: json(problemSchema) } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Gatehouse Admin API", version: "1" },
    servers: [{ url: `${issuer}/_api/admin` }],
    components: { securitySchemes: { adminKey: { type: "http", scheme: "bearer", description: "An admin API key from `gatehouse admin-keys create`" } } },
    security: [{ adminKey: [] }],
    paths,
  };
}
