// The real server as production runs it: `node bin/gatehouse.mjs start --config FILE`, in a process
// group of its own so kill -9 takes the whole group, with its output kept in a log file.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("../../../", import.meta.url).pathname;

// Servers this suite started and has not stopped: killed when the suite exits, however it exits.
const live = new Set<number>();
process.on("exit", () => {
  for (const pid of live) {
    try { process.kill(-pid, "SIGKILL"); } catch { /* gone */ }
  }
});

export interface ServerProcess {
  readonly url: string;
  /** Starts (or restarts) the server and waits for /healthz; returns the milliseconds it took. */
  start(): Promise<number>;
  kill9(): void;
  /** SIGTERM and wait (bounded). */
  stop(): Promise<void>;
  log(): string;
  /** Exits the suite did not cause. */
  crashes(): number;
}

export function serverProcess(dir: string, config: Record<string, unknown>, port: number): ServerProcess {
  const configFile = join(dir, "gatehouse.json");
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = join(dir, "server.log");
  writeFileSync(logFile, "");
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let deaths = 0;

  return {
    url,
    async start() {
      const started = performance.now();
      const fd = openSync(logFile, "a");
      child = spawn(process.execPath, [join(ROOT, "bin/gatehouse.mjs"), "start", "--config", configFile], {
        cwd: dir, detached: true, stdio: ["ignore", fd, fd],
      });
      closeSync(fd);
      const me = child;
      if (me.pid) live.add(me.pid);
      me.once("exit", () => { if (me.pid) live.delete(me.pid); });
      // A death we did not cause (kill9/stop clear `child` first) is a crash: counted and logged.
      me.once("exit", (code, signal) => {
        if (child === me) {
          deaths++;
          console.log(`    SERVER CRASHED (exit ${code ?? signal}); log tail:\n${readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n")}`);
        }
      });
      const exited = new Promise<number>((resolve) => child!.once("exit", (code) => resolve(code ?? -1)));
      for (let i = 0; i < 300; i++) {
        const res = await Promise.race([fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => null), exited.then(() => "exited" as const)]);
        if (res === "exited") throw new Error(`server exited at start-up; log:\n${readFileSync(logFile, "utf8").slice(-2000)}`);
        if (res?.status === 200) return performance.now() - started;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("server did not become healthy in 30 s");
    },
    kill9() {
      if (child?.pid) {
        try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ }
      }
      child = null;
    },
    async stop() {
      const c = child;
      child = null;
      if (!c?.pid || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once("exit", resolve));
      try { process.kill(-c.pid, "SIGTERM"); } catch { return; }
      const timer = setTimeout(() => { try { process.kill(-c.pid!, "SIGKILL"); } catch { /* gone */ } }, 10_000);
      await exited;
      clearTimeout(timer);
    },
    log: () => readFileSync(logFile, "utf8"),
    crashes: () => deaths,
  };
}
