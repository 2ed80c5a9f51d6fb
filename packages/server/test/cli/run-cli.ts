// Runs `gatehouse` as a subprocess in its own process group, and kills the whole group when done or
// stuck, so that no server outlives a test.
import { spawn, type ChildProcess } from "node:child_process";

export const BIN = new URL("../../../../bin/gatehouse.mjs", import.meta.url).pathname;

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const killGroup = (child: ChildProcess): void => {
  try {
    if (child.pid) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
};

/** Runs a command to its end (killed after `timeoutMs`). */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => { stdout += d; });
  child.stderr!.on("data", (d: Buffer) => { stderr += d; });
  const timer = setTimeout(() => killGroup(child), options.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.on("close", (status) => {
      clearTimeout(timer);
      killGroup(child);
      resolve({ status, stdout, stderr });
    });
  });
}

export interface RunningCli {
  output(): string;
  /** Waits until stdout+stderr match, or the process exits (then fails with its output). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts a long-running command (`start`). */
export function startCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let exited = false;
  child.stdout!.on("data", (d: Buffer) => { out += d; });
  child.stderr!.on("data", (d: Buffer) => { out += d; });
  const closed = new Promise<void>((resolve) => child.on("close", () => { exited = true; resolve(); }));
  return {
    output: () => out,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (exited) throw new Error(`gatehouse exited before printing ${pattern}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      killGroup(child);
      await closed;
    },
  };
}
