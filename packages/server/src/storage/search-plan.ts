// User search as a plan (plan.ts), for both adapters. Every search walks the primary key of
// user_search_terms: an exact value or a prefix is one range of it, ordered by (term, user_id), so
// a page costs a bounded index scan whatever the number of users. Role and group filters are
// point lookups in the same index.
import type { User } from "../domain/user.ts";
import type { Page } from "./admin-ports.ts";
import type { UserSearchOptions } from "./profile-ports.ts";
import { all, run, type Plan } from "./plan.ts";
import { DELETE_VALUE_TERMS, INSERT_TERM, normalizeTerm, valueTerms } from "./roles-sql.ts";
import { toUser, type Row } from "./rows.ts";
import { isCleanText } from "../input/text.ts";
import { isUserId } from "../input/ids.ts";

const DRIVER_PROBE = 1000;

// Above every character: `term < prefix + TOP` bounds a prefix range in byte order (UTF-8, binary collation).
const TOP = "\u{10FFFF}";

const encodeCursor = (term: string, userId: string): string => Buffer.from(JSON.stringify([term, userId])).toString("base64url");
function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    // Only what encodeCursor makes: a forged cursor must not carry NUL into a query.
    return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "string" && x.length <= 300 && isCleanText(x, "text")) ? (v as [string, string]) : null;
  } catch {
    return null;
  }
}

export function* searchUsers(o: UserSearchOptions): Plan<Page<User>> {
  const filters: string[] = [];
  const args: unknown[] = [];
  const p = (v: unknown): string => `$${args.push(v)}`;
  const exact = (term: string): string => `EXISTS (SELECT 1 FROM user_search_terms x WHERE x.term = ${p(term)} AND x.user_id = t.user_id)`;
  const query = o.query !== undefined ? normalizeTerm(o.query) : "";
  // Role and group first: on a tie (both past the probe's cap) they drive, as checking a value
  // prefix per user is cheaper than checking a role per user over a long prefix range.
  const ranges: [string, string][] = [];
  if (o.role) ranges.push([`r:${o.role}`, `r:${o.role}`]);
  if (o.group) ranges.push([`g:${o.group}`, `g:${o.group}`]);
  if (query) ranges.push([`v:${query}`, `v:${query}${TOP}`]);
  if (ranges.length === 0) return { items: [], nextCursor: null };
  // The smallest range drives the scan (ordered by it, so pages are stable); the others filter it
  // through the per-user index. Sizes are counted only up to a bound, so this costs little.
  let driver = 0;
  if (ranges.length > 1) {
    // One round trip: a bounded count per range, side by side.
    const counts = ranges.map((_, i) => `(SELECT COUNT(*) FROM (SELECT 1 FROM user_search_terms WHERE term >= $${2 * i + 1} AND term <= $${2 * i + 2} LIMIT ${DRIVER_PROBE}) AS x${i}) AS n${i}`);
    const r: Row[] = yield all(`SELECT ${counts.join(", ")}`, ranges.flat());
    const sizes = ranges.map((_, i) => Number(r[0][`n${i}`]));
    driver = sizes.indexOf(Math.min(...sizes));
  }
  ranges.forEach(([lo, hi], i) => {
    if (i === driver) filters.push(lo === hi ? `t.term = ${p(lo)}` : `t.term >= ${p(lo)} AND t.term < ${p(hi)}`);
    else filters.push(lo === hi ? exact(lo) : `EXISTS (SELECT 1 FROM user_search_terms x WHERE x.user_id = t.user_id AND x.term >= ${p(lo)} AND x.term < ${p(hi)})`);
  });
  const after = decodeCursor(o.cursor);
  if (after) filters.push(`(t.term > ${p(after[0])} OR (t.term = ${p(after[0])} AND t.user_id > ${p(after[1])}))`);
  const rows: Row[] = yield all(
    `SELECT t.term AS search_term, u.* FROM user_search_terms t JOIN users u ON u.id = t.user_id WHERE ${filters.join(" AND ")} ORDER BY t.term, t.user_id LIMIT ${p(o.limit + 1)}`,
    args,
  );
  const page = rows.slice(0, o.limit);
  const items: User[] = [];
  const seen = new Set<string>();
  // An exact user id is a match too, listed first on the first page.
  if (!after && o.query && !o.role && !o.group && isUserId(o.query.trim())) {
    const byId: Row[] = yield all("SELECT * FROM users WHERE id = $1", [o.query.trim()]);
    for (const r of byId) items.push(toUser(r)), seen.add(String(r.id));
  }
  for (const r of page) {
    if (seen.has(String(r.id))) continue;
    seen.add(String(r.id));
    items.push(toUser(r));
  }
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > o.limit ? encodeCursor(String(last.search_term), String(last.user_id ?? last.id)) : null };
}

/** Rewrites a user's `v:` terms from their email, attributes and login IDs (after create or update). */
export function* writeValueTerms(user: Pick<User, "id" | "email" | "standardAttributes" | "customAttributes">): Plan<void> {
  yield run(DELETE_VALUE_TERMS, [user.id]);
  for (const term of valueTerms(user)) yield run(INSERT_TERM, [term, user.id]);
  // The same terms the identities triggers write (schema-profile.ts), put back after the delete.
  yield run(`INSERT INTO user_search_terms (term, user_id) SELECT DISTINCT 'v:' || substr(lower(login_id), 1, 200), user_id FROM identities
    WHERE user_id = $1 AND login_id IS NOT NULL ON CONFLICT DO NOTHING`, [user.id]);
}
