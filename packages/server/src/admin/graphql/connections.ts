// Relay connections over Gatehouse's keyset pages. A store continues from an opaque cursor that
// only the page's last item has; so an edge's cursor here is (the cursor its page started from,
// how many items of that page come up to it): continuing after any edge re-reads that page from
// its start and skips what was already seen. Exact for every edge, and bounded: a page is at most
// MAX_FIRST items, so a skip never exceeds it.
import type { Page } from "../../storage/admin-ports.ts";
import { invalid, notSupported } from "./errors.ts";

export interface ConnectionArgs { first?: number | null; after?: string | null; last?: number | null; before?: string | null }

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 100;
/** In-memory lists (a user's identities, sessions) are short; their offsets stay below this. */
const MAX_OFFSET = 10_000;

export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

const encode = (start: string | null, skip: number): string => Buffer.from(JSON.stringify([start, skip])).toString("base64url");

function decode(cursor: string, maxSkip: number): { start: string | undefined; skip: number } {
  let value: unknown;
  try {
    value = cursor.length <= 400 ? JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) : null;
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid("after: not a cursor this API returned");
  const [start, skip] = value;
  if ((start !== null && (typeof start !== "string" || start.length > 200)) || !Number.isInteger(skip) || skip < 0 || skip > maxSkip) {
    throw invalid("after: not a cursor this API returned");
  }
  return { start: start ?? undefined, skip };
}

function pageSize(args: ConnectionArgs): number {
  if ((args.last ?? null) !== null || (args.before ?? null) !== null) throw notSupported("Backward pagination (last, before)");
  const first = args.first ?? DEFAULT_FIRST;
  if (first < 0 || first > MAX_FIRST) throw invalid(`first must be between 0 and ${MAX_FIRST}`);
  return first;
}

/** A connection read from a keyset-paged store. */
export async function pagedConnection<T, N>(args: ConnectionArgs, fetch: (cursor: string | undefined, limit: number) => Promise<Page<T>>, toNode: (item: T) => N): Promise<Connection<N>> {
  const first = pageSize(args);
  const { start, skip } = args.after ? decode(args.after, MAX_FIRST) : { start: undefined, skip: 0 };
  if (first === 0) return { edges: [], pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: null };
  const page = await fetch(start, skip + first);
  const items = page.items.slice(skip);
  const edges = items.map((item, i) => ({
    // The last edge continues from the store's own cursor, so cursors do not grow page after page.
    cursor: i === items.length - 1 && page.nextCursor ? encode(page.nextCursor, 0) : encode(start ?? null, skip + i + 1),
    node: toNode(item),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: page.nextCursor !== null, hasPreviousPage: skip > 0 || start !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: null,
  };
}

/** A connection over a list already in memory; its total is known. */
export function listConnection<T, N>(args: ConnectionArgs, all: T[], toNode: (item: T) => N): Connection<N> {
  const first = pageSize(args);
  const { skip } = args.after ? decode(args.after, MAX_OFFSET) : { skip: 0 };
  const items = all.slice(skip, skip + first);
  const edges = items.map((item, i) => ({ cursor: encode(null, skip + i + 1), node: toNode(item) }));
  return {
    edges,
    pageInfo: { hasNextPage: skip + first < all.length, hasPreviousPage: skip > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: all.length,
  };
}
