// Whether dist/ (scripts/build.mjs) can run: it exists, and none of the sources it was built from
// changed after it was built. A few hundred stat calls: about a millisecond.
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The URL of the build's entry point, or null to run from source. GATEHOUSE_DIST picks another build directory. */
export function runnable(dir = resolve(root, process.env.GATEHOUSE_DIST ?? "dist")) {
  if (process.env.GATEHOUSE_FROM_SOURCE === "1") return null;
  let info;
  try {
    info = JSON.parse(readFileSync(join(dir, "build-info.json"), "utf8"));
  } catch {
    return null;
  }
  for (const input of info.inputs) {
    try {
      if (statSync(join(root, input)).mtimeMs > info.built) return null;
    } catch {
      return null; // a source was removed or renamed
    }
  }
  return pathToFileURL(join(dir, "gatehouse.js")).href;
}
