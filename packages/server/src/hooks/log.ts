// Where hook failures are logged: the app's logger once buildApp registered it for this storage
// (one-shot CLI commands have none: a JSON line on stderr). Never logs a secret or a body.
import type { Storage } from "../storage/ports.ts";
import type { HookLog } from "./delivery.ts";

const logs = new WeakMap<Storage, HookLog>();

export function setHookLog(storage: Storage, log: HookLog): void {
  logs.set(storage, log);
}

const stderrLog: HookLog = {
  warn: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: "warn", ...obj, msg })}\n`),
  error: (obj, msg) => process.stderr.write(`${JSON.stringify({ level: "error", ...obj, msg })}\n`),
};

export function hookLog(storage: Storage): HookLog {
  return logs.get(storage) ?? stderrLog;
}
