// Validation failures in words. The admin API answers a refused request with a readable `detail`
// and, per field, `errors: [{ field, code, message, ... }]`: `code` and the bounds are for
// programs; `message` is a sentence an operator can read ("At least 5 minutes"), which is what the
// portal shows next to the field. Schema text ("Too small: expected number to be >=300") never
// reaches a person.
import type { z } from "zod";

export interface FieldError {
  /** Dotted path in the body or query ("" for the object itself). */
  field: string;
  /** The validator's code: too_small, too_big, invalid_type, invalid_value, unrecognized_keys, invalid_format, custom. */
  code: string;
  minimum?: number;
  maximum?: number;
  message: string;
}

const UNITS: [number, string][] = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];

/** 300 → "5 minutes", 5400 → "1 hour 30 minutes", 2592000 → "30 days". */
export function durationInWords(seconds: number): string {
  if (seconds === 0) return "0 seconds";
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? "" : "s"}`);
    rest -= n * size;
  }
  return parts.slice(0, 2).join(" ");
}

const count = (n: number, one: string): string => `${n} ${one}${n === 1 ? "" : "s"}`;

function bound(issue: z.core.$ZodIssue, field: string, n: number, over: boolean): string {
  const origin = (issue as { origin?: string }).origin;
  const lead = over ? "At most" : "At least";
  if (origin === "string") return over ? `At most ${count(n, "character")}` : n === 1 ? "Required" : `At least ${count(n, "character")}`;
  if (origin === "array") return `${lead} ${count(n, "item")}`;
  if (field.endsWith("_seconds")) return `${lead} ${durationInWords(n)}`;
  return `${lead} ${n}`;
}

const EXPECTED: Record<string, string> = {
  number: "Enter a number", int: "Enter a whole number", boolean: "Choose yes or no", string: "Enter text",
  array: "Give a list", object: "Give an object",
};

export function issueInWords(issue: z.core.$ZodIssue): FieldError {
  const field = issue.path.map(String).join(".");
  switch (issue.code) {
    case "too_small":
      return { field, code: issue.code, minimum: Number(issue.minimum), message: bound(issue, field, Number(issue.minimum), false) };
    case "too_big":
      return { field, code: issue.code, maximum: Number(issue.maximum), message: bound(issue, field, Number(issue.maximum), true) };
    case "invalid_type": {
      const expected = String(issue.expected);
      const message = /received undefined/.test(issue.message) ? "Required" : EXPECTED[expected] ?? `Must be ${expected}`;
      return { field, code: issue.code, message };
    }
    case "invalid_value":
      return { field, code: issue.code, message: `Choose one of: ${issue.values.map(String).join(", ")}` };
    case "unrecognized_keys":
      return { field, code: issue.code, message: `Not a field this request takes: ${issue.keys.join(", ")}` };
    default: {
      // Our own refinements (input/text.ts, the role and cursor patterns) already speak in words.
      const text = issue.message;
      return { field, code: issue.code, message: text.charAt(0).toUpperCase() + text.slice(1) };
    }
  }
}

/** The problem's detail: each field and what it needs, e.g. "access_token_lifetime_seconds: at least 5 minutes". */
export function errorsInWords(where: string, errors: FieldError[]): string {
  return errors.map((e) => {
    const name = e.field ? `${where}.${e.field}` : where;
    return `${name}: ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}`;
  }).join("; ");
}
