// Unknown keys in gatehouse.yaml are errors, as in Authgear (additionalProperties: false): a typo
// such as `publc_origin` would otherwise be dropped silently and the default used instead.
// Driven by the schema itself, so every field added to schema.ts is known here without a list.
import type { z } from "zod";

export interface UnknownKey {
  path: (string | number)[];
  message: string;
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; valueType?: z.ZodType; catchall?: z.ZodType };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The keys of `raw` that `schema` does not define, with the nearest defined name when one is close. */
export function unknownKeys(schema: z.ZodType, raw: unknown, path: (string | number)[] = []): UnknownKey[] {
  const def = defOf(schema);
  switch (def.type) {
    case "default":
    case "prefault":
    case "optional":
    case "nullable":
    case "readonly":
    case "catch":
      return unknownKeys(def.innerType!, raw, path);
    case "pipe":
      return unknownKeys(def.in!, raw, path);
    case "array":
      return Array.isArray(raw) ? raw.flatMap((item, i) => unknownKeys(def.element!, item, [...path, i])) : [];
    case "record":
      return isPlainObject(raw) ? Object.entries(raw).flatMap(([key, value]) => unknownKeys(def.valueType!, value, [...path, key])) : [];
    case "union": {
      // The alternative that fits best: none reported if one fits entirely.
      const each = def.options!.map((option) => unknownKeys(option, raw, path));
      return each.reduce((best, issues) => (issues.length < best.length ? issues : best), each[0] ?? []);
    }
    case "object": {
      if (!isPlainObject(raw)) return [];
      const shape = (schema as unknown as { shape: Record<string, z.ZodType> }).shape;
      const known = Object.keys(shape);
      // A loose object (z.looseObject, .catchall(…)) takes other keys on purpose.
      const extra = def.catchall && defOf(def.catchall).type !== "never" ? def.catchall : null;
      return Object.entries(raw).flatMap(([key, value]) => {
        if (Object.hasOwn(shape, key)) return unknownKeys(shape[key], value, [...path, key]);
        if (extra) return unknownKeys(extra, value, [...path, key]);
        return [{ path: [...path, key], message: unknownKeyMessage(key, known) }];
      });
    }
    default:
      // Scalars and enums: nothing named to check against.
      return [];
  }
}

function unknownKeyMessage(key: string, known: string[]): string {
  const near = nearest(key, known);
  if (near) return `unknown field; did you mean ${near}?`;
  return `unknown field (the fields here are ${known.join(", ")})`;
}

/** The closest name within a small edit distance (typos, a dropped or extra letter, a missing plural `s`). */
export function nearest(word: string, candidates: string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return best !== null && bestDistance <= allowed ? best : null;
}

/** Levenshtein distance, with a swap of neighbouring letters counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
