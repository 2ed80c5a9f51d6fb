// Runs Debian's nginx (/usr/sbin/nginx) as a child process with the configuration from
// examples/nginx/, so that the example itself is what the tests exercise. Only the addresses are
// rewritten (and, on request, the optional resolver cache is uncommented); every rewrite must match
// exactly once, so an edit to the example that breaks the template fails loudly here.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../packages/server/test/support/server.ts";

export const NGINX = "/usr/sbin/nginx";
const EXAMPLE_DIR = new URL("../../examples/nginx/", import.meta.url).pathname;
const FILES = ["nginx.conf", "gatehouse.conf", "gatehouse-headers.conf"] as const;

export interface NginxOptions {
  gatehousePort: number;
  appPort: number;
  /** Uncomment the example's optional resolver cache blocks. */
  cache?: boolean;
}

export interface Nginx {
  url: string;
  dir: string;
  /** What nginx wrote to stderr so far (its error log). */
  log(): string;
  stop(): Promise<void>;
}

function replaceOnce(text: string, from: string | RegExp, to: string | ((m: string, ...groups: string[]) => string), what: string): string {
  const re = typeof from === "string" ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g") : new RegExp(from.source, from.flags.includes("g") ? from.flags : `${from.flags}g`);
  const hits = text.match(re)?.length ?? 0;
  if (hits !== 1) throw new Error(`examples/nginx template: expected exactly one ${what}, found ${hits}`);
  return text.replace(re, to as (m: string, ...g: string[]) => string);
}

/** Uncomments the `# directive …` lines between the example's "optional resolver cache" markers. */
function enableCache(text: string, cacheDir: string): string {
  let blocks = 0;
  let directives = 0;
  const out = text.replace(/(# --- optional resolver cache \((\d)\/2\)[^\n]*\n)([\s\S]*?)(\s*# --- end of optional resolver cache)/g, (_m, head: string, _n: string, body: string, tail: string) => {
    blocks++;
    const lines = body.split("\n").map((line) => {
      const m = /^(\s*)# ((?:proxy_cache|proxy_no_cache)\S*\s.*;)\s*$|^(\s*)# (proxy_ignore_headers\s.*;)\s*$/.exec(line);
      if (!m) return line;
      directives++;
      return (m[1] ?? m[3]) + (m[2] ?? m[4]);
    });
    return head + lines.join("\n") + tail;
  });
  if (blocks !== 2) throw new Error(`examples/nginx template: expected 2 optional resolver cache blocks, found ${blocks}`);
  if (directives !== 7) throw new Error(`examples/nginx template: expected 7 commented cache directives, found ${directives}`);
  return replaceOnce(out, "/var/cache/nginx/gatehouse-resolver", cacheDir, "proxy_cache_path directory");
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}):\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => { s.destroy(); resolve(true); });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port} within ${timeoutMs} ms:\n${log()}`);
}

export async function startNginx(options: NginxOptions): Promise<Nginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx package (apt-get install -y nginx)`);
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-nginx-"));
  // Started as root, nginx's worker runs as `nobody` and must reach the temp and cache folders.
  chmodSync(dir, 0o755);
  const port = await freePort();
  for (const name of FILES) {
    let text = readFileSync(join(EXAMPLE_DIR, name), "utf8");
    if (name === "gatehouse.conf") {
      text = replaceOnce(text, "server 127.0.0.1:3000;", `server 127.0.0.1:${options.gatehousePort};`, "Gatehouse upstream address");
      text = replaceOnce(text, "server 127.0.0.1:8080;", `server 127.0.0.1:${options.appPort};`, "app upstream address");
      text = replaceOnce(text, /^(\s*)listen 8000;/m, (_m, indent) => `${indent}listen 127.0.0.1:${port};`, "listen directive");
      if (options.cache) text = enableCache(text, join(dir, "resolver-cache"));
    }
    writeFileSync(join(dir, name), text);
  }

  let stderr = "";
  const child = spawn(NGINX, ["-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-e", "stderr", "-g", "daemon off;"], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => { stderr += chunk; });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const log = () => stderr;
  try {
    await waitForPort(port, child, log);
  } catch (e) {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM"); // fast shutdown: the master stops its workers, then exits
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
