// One GraphQL request: parse (bounded), validate (Authgear's unsupported fields named, limits),
// execute against the operations, and errors in Authgear's shape. Returns the HTTP status too:
// a request that never ran (syntax, validation) is a 400; one that ran is a 200, its errors inside.
import { buildSchema, execute, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { Context } from "../../context.ts";
import { isStorageUnavailable } from "../../storage/errors.ts";
import type { Actor } from "../operations.ts";
import { SDL } from "./sdl.ts";
import { limitsRule, unsupportedFieldsRule } from "./rules.ts";
import { queryRoot } from "./queries.ts";
import { mutationRoot } from "./mutations.ts";
import { toGraphQLError } from "./errors.ts";

export const MAX_QUERY_LENGTH = 32 * 1024;
const MAX_TOKENS = 5000;

let built: GraphQLSchema | undefined;
export function adminSchema(): GraphQLSchema {
  return (built ??= buildSchema(SDL));
}

export interface GraphqlRequest { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }

const badRequest = (message: string, reason = "InvalidRequest"): ExecutionResult => ({ errors: [new GraphQLError(message, { extensions: { errorName: "BadRequest", reason } })] });

export async function runGraphql(ctx: Context, actor: Actor, request: GraphqlRequest, log: (err: unknown) => void): Promise<{ status: number; body: ExecutionResult }> {
  if (request.query.length > MAX_QUERY_LENGTH) return { status: 400, body: badRequest(`the query is longer than ${MAX_QUERY_LENGTH} characters`, "QueryTooLarge") };
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: MAX_TOKENS, noLocation: false });
  } catch (err) {
    return { status: 400, body: { errors: [err instanceof GraphQLError ? err : new GraphQLError("the query does not parse")] } };
  }
  const schema = adminSchema();
  // Unsupported fields first: otherwise graphql-js reports them only as unknown.
  let errors = validate(schema, document, [unsupportedFieldsRule]);
  if (errors.length === 0) errors = validate(schema, document, [...specifiedRules, limitsRule], { maxErrors: 20 });
  if (errors.length > 0) return { status: 400, body: { errors } };
  const result = await execute({
    schema, document, rootValue: { ...queryRoot(ctx), ...mutationRoot(ctx, actor) },
    variableValues: request.variables ?? undefined, operationName: request.operationName ?? undefined,
  });
  if (!result.errors) return { status: 200, body: result };
  // Variables that do not fit their types fail before anything runs: the request is at fault.
  const ran = result.data !== undefined;
  const mapped = result.errors.map((e) => {
    const original = e.originalError;
    if (isStorageUnavailable(original)) throw original;
    if (!original || original instanceof GraphQLError) return e;
    const known = toGraphQLError(original);
    if (known instanceof GraphQLError) return new GraphQLError(known.message, { nodes: e.nodes, path: e.path, extensions: known.extensions });
    log(original);
    return new GraphQLError("internal error", { nodes: e.nodes, path: e.path, extensions: { errorName: "InternalError", reason: "UnexpectedError" } });
  });
  return { status: ran ? 200 : 400, body: { ...result, errors: mapped } };
}
