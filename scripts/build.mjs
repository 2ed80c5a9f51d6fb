// Compiles the CLI and server to JavaScript in dist/ (run by `npm install` through `prepare`, or
// `npm run build`), so `gatehouse` starts without compiling TypeScript each time. bin/gatehouse.mjs
// uses the build only while no source it was made from has changed since; otherwise it runs the
// sources through tsx, so a stale build is never run.
//   node scripts/build.mjs [--outdir DIR] [--if-possible]
// --if-possible (used on install): a failed build is a warning, and the CLI runs from source.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { outdir: { type: "string" }, "if-possible": { type: "boolean" } } });
const outdir = resolve(root, values.outdir ?? "dist");

try {
  await build();
} catch (err) {
  if (!values["if-possible"]) throw err;
  console.warn(`gatehouse: could not build dist/ (${err.message}); the CLI will run from the TypeScript sources`);
}

async function build() {
  const esbuild = await import("esbuild");
  const started = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { gatehouse: "packages/server/src/cli/main.ts" },
    outdir,
    bundle: true,
    // One chunk per lazily loaded part (a one-shot command does not load the web server; SQLite
    // installs do not load pg): chunks need ESM output.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins: [keepFileLocations(outdir)],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("node_modules/"));
  writeFileSync(join(outdir, "build-info.json"), `${JSON.stringify({ built: started, inputs }, null, 1)}\n`);
  console.log(`gatehouse: built ${relative(root, outdir)}/ from ${inputs.length} files in ${Date.now() - started} ms`);
}

/**
 * Code that reads files next to its source (`new URL("../public/", import.meta.url)`, createRequire,
 * import.meta.dirname) must find them from the bundle too: each source file's import.meta.url,
 * .dirname and .filename become its own location, written relative to the output directory so that
 * the checkout can move.
 */
function keepFileLocations(outdir) {
  return {
    name: "keep-file-locations",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const { readFile } = await import("node:fs/promises");
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta.")) return { contents: text, loader: "ts" };
        const file = relative(outdir, args.path).split("\\").join("/");
        const dir = relative(outdir, dirname(args.path)).split("\\").join("/");
        const location = {
          url: `new URL(${JSON.stringify(file)}, import.meta.url).href`,
          dirname: `(import.meta.dirname + ${JSON.stringify(`/${dir}`)})`,
          filename: `(import.meta.dirname + ${JSON.stringify(`/${file}`)})`,
        };
        const contents = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, what) => location[what]);
        return { contents, loader: "ts" };
      });
    },
  };
}
