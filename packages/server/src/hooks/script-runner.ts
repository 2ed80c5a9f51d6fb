// Script handlers: a hook URL naming a local .ts/.js file (or Authgear's `authgeardeno:///…`) runs its
// default export in a worker thread, one warm worker per script. The worker has a heap limit
// (resourceLimits) and every call a deadline: a script that loops forever or overruns is terminated
// (the next call starts a fresh worker), one that exhausts its heap dies alone. The server's own
// thread never runs script code, so a slow or crashing hook cannot stall or kill it.
import { Worker } from "node:worker_threads";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CallOutcome } from "./outcome.ts";

const WORKER_FILE = new URL("./script-worker.mjs", import.meta.url);

interface Pending {
  resolve: (o: CallOutcome) => void;
  started: number;
  timer: NodeJS.Timeout;
}

interface Entry {
  worker: Worker;
  pending: Map<number, Pending>;
}

const workers = new Map<string, Entry>();
let nextId = 0;

export function isScriptUrl(url: string): boolean {
  return /^(authgeardeno|file):\/\//.test(url) || (!/^https?:/i.test(url) && /\.(m?js|ts)$/.test(url));
}

/** The file a script URL names: authgeardeno:///deno/x.ts and relative paths from the working directory. */
export function scriptPath(url: string): string {
  if (url.startsWith("file://")) return fileURLToPath(url);
  if (url.startsWith("authgeardeno://")) return resolve(process.cwd(), decodeURIComponent(new URL(url).pathname.replace(/^\/+/, "")));
  return isAbsolute(url) ? url : resolve(process.cwd(), url);
}

function fail(entry: Entry, key: string, error: string): void {
  if (workers.get(key) === entry) workers.delete(key);
  for (const [id, p] of entry.pending) {
    clearTimeout(p.timer);
    p.resolve({ ok: false, statusCode: null, error, latencyMs: performance.now() - p.started, response: null });
    entry.pending.delete(id);
  }
}

function start(file: string, memoryMb: number): Entry {
  const key = `${memoryMb}:${file}`;
  const existing = workers.get(key);
  if (existing) return existing;
  const worker = new Worker(WORKER_FILE, {
    workerData: { file },
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(16, memoryMb), stackSizeMb: 4 },
    stdout: false,
    stderr: false,
  });
  worker.unref();
  const entry: Entry = { worker, pending: new Map() };
  worker.on("message", (m: { id: number; ok: boolean; result?: string | null; error?: string }) => {
    const p = entry.pending.get(m.id);
    if (!p) return;
    entry.pending.delete(m.id);
    clearTimeout(p.timer);
    const latencyMs = performance.now() - p.started;
    p.resolve(m.ok
      ? { ok: true, statusCode: null, error: null, latencyMs, response: m.result ?? null }
      : { ok: false, statusCode: null, error: `script failed: ${m.error}`, latencyMs, response: null });
  });
  worker.on("error", (err) => fail(entry, key, `script crashed: ${err.message}`));
  worker.on("exit", (code) => fail(entry, key, `script worker exited (code ${code})`));
  workers.set(key, entry);
  return entry;
}

export function runScript(url: string, body: string, o: { timeoutMs: number; memoryMb: number }): Promise<CallOutcome> {
  const file = scriptPath(url);
  const key = `${o.memoryMb}:${file}`;
  const entry = start(file, o.memoryMb);
  const id = ++nextId;
  return new Promise((resolveCall) => {
    const timer = setTimeout(() => {
      // Past its deadline the script is stopped however busy it is: terminate() interrupts even a
      // synchronous infinite loop. Other calls in flight on it fail with it.
      fail(entry, key, `script timed out after ${o.timeoutMs} ms and was stopped`);
      void entry.worker.terminate();
    }, o.timeoutMs);
    entry.pending.set(id, { resolve: resolveCall, started: performance.now(), timer });
    entry.worker.postMessage({ id, body });
  });
}

/** Starts the workers of these script handlers and loads their scripts (server start-up). */
export function warmScripts(urls: string[], memoryMb: number): void {
  for (const url of new Set(urls.filter(isScriptUrl))) start(scriptPath(url), memoryMb).worker.postMessage({ warm: true });
}

/** Stops every script worker (server shutdown, tests). */
export async function stopScripts(): Promise<void> {
  const all = [...workers.values()];
  workers.clear();
  await Promise.all(all.map((e) => e.worker.terminate()));
}
