// Runs one script handler inside a worker thread (script-runner.ts starts it with a heap limit and
// terminates it when a call overruns). The script's default export is called with the event object
// and may return (or resolve to) a blocking hook's response: the signature of Authgear's Deno hooks.
// Plain JavaScript so that it runs the same from the sources and from the dist/ build.
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";

let handler = null;

async function load() {
  if (handler) return handler;
  const url = pathToFileURL(workerData.file).href;
  let mod;
  if (/\.ts$/.test(workerData.file)) {
    const { tsImport } = await import("tsx/esm/api");
    mod = await tsImport(url, import.meta.url);
  } else {
    mod = await import(url);
  }
  // A .ts file outside an ESM package is compiled as CommonJS: its default export sits one level down.
  let fn = mod.default;
  if (typeof fn !== "function" && fn && typeof fn.default === "function") fn = fn.default;
  if (typeof fn !== "function") throw new Error("the script's default export is not a function");
  handler = fn;
  return handler;
}

parentPort.on("message", async ({ id, body, warm }) => {
  if (warm) {
    // Start-up: compile and load the script now, not on the first event's clock.
    await load().catch(() => undefined);
    return;
  }
  try {
    const fn = await load();
    const result = await fn(JSON.parse(body));
    parentPort.postMessage({ id, ok: true, result: result === undefined ? null : JSON.stringify(result) });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: String(err && err.message ? err.message : err).slice(0, 500) });
  }
});
