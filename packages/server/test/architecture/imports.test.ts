// The server's source has no import cycles (type-only imports included: a cycle through types still
// ties two modules' designs together) and no storage port method that nothing calls.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

const SRC = new URL("../../src/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : name.endsWith(".ts") ? [p] : [];
  });
}

/** Relative imports and re-exports of one file, resolved to files under `root`. */
function importsOf(file: string, root: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+["'](\.{1,2}\/[^"']+)["']/gms)].map((m) => m[1]);
  return found.map((spec) => resolve(dirname(file), spec)).filter((p) => p.startsWith(root));
}

/** Every cycle's files, as found by a depth-first walk (each cycle reported once, from where it closes). */
export function findCycles(files: string[], root = SRC): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f, root)]));
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
  return cycles.map((c) => c.map((f) => relative(root, f)));
}

/**
 * Port methods nothing outside storage/ calls. A method counts as called where `<port key>.<method>`
 * appears (ctx.storage.sessions.get, outbox.append), or `.<method>(` in a file naming its interface
 * (a store handed over as `store: SigningKeyStore`).
 */
export function unusedPortMethods(): string[] {
  const ports = ["ports.ts", "admin-ports.ts", "account-ports.ts", "identity-ports.ts"].map((f) => readFileSync(join(SRC, "storage", f), "utf8")).join("\n");
  const interfaces = new Map([...ports.matchAll(/export interface (\w+)(?:<[^>]*>)? \{([\s\S]*?)\n\}/g)].map((m) => [m[1], m[2]]));
  const keys = [...(interfaces.get("Storage")! + interfaces.get("AdminStorage")! + interfaces.get("AccountStorage")! + interfaces.get("IdentityStorage")!).matchAll(/^\s+(\w+): (\w+);/gm)];
  const callers = sourceFiles(SRC).filter((f) => !f.startsWith(join(SRC, "storage"))).map((f) => readFileSync(f, "utf8"));
  const unused: string[] = [];
  for (const [, key, type] of keys) {
    const methods = [...(interfaces.get(type) ?? "").matchAll(/^\s+(\w+)\(/gm)].map((m) => m[1]);
    for (const method of methods) {
      const called = callers.some((text) => new RegExp(`\\b${key}\\.${method}\\b`).test(text) || (new RegExp(`\\b${type}\\b`).test(text) && text.includes(`.${method}(`)));
      if (!called) unused.push(`${type}.${method} (storage.${key})`);
    }
  }
  return unused;
}

describe("architecture", () => {
  it("packages/server/src has no import cycles", () => {
    const cycles = findCycles(sourceFiles(SRC));
    assert.deepEqual(cycles.map((c) => c.join(" → ")), []);
  });

  it("the walker finds a cycle, type-only imports and re-exports included", () => {
    const root = mkdtempSync(join(tmpdir(), "gatehouse-cycles-"));
    try {
      mkdirSync(join(root, "x"));
      writeFileSync(join(root, "a.ts"), 'import type { B } from "./x/b.ts";\nexport type A = B;\n');
      writeFileSync(join(root, "x", "b.ts"), 'export { c } from "../c.ts";\nexport type B = string;\n');
      writeFileSync(join(root, "c.ts"), 'import {\n  type A,\n} from "./a.ts";\nexport const c = 1 as unknown as A;\n');
      writeFileSync(join(root, "d.ts"), 'import { c } from "./c.ts";\nexport const d = c;\n');
      assert.deepEqual(findCycles(sourceFiles(root), root).map((c) => c.join(" → ")), ["a.ts → x/b.ts → c.ts → a.ts"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("every storage port method is called from outside storage/", () => {
    assert.deepEqual(unusedPortMethods(), []);
  });
});
