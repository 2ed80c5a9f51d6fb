// Real `gatehouse` processes for the webhook e2e tests: each in its own process group, so a test can
// kill -9 the whole group (the server and anything it started) and nothing is left behind.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

export const ROOT = new URL("../../", import.meta.url).pathname;
const BIN = join(ROOT, "bin/gatehouse.mjs");

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL to the whole group: no shutdown hook runs. */
  kill9(): Promise<void>;
}

export function writeConfig(dir: string, name: string, config: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(config));
  return path;
}

export async function startServer(configPath: string, port: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, "start", "--config", configPath], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { out += d.toString(); });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gatehouse exited early (${child.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/.well-known/openid-configuration`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`gatehouse did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => out,
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
  };
}

/** Runs a one-shot CLI command to completion. */
export function cli(configPath: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, "--config", configPath], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
