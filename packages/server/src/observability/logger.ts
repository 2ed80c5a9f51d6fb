// One structured logger (pino, JSON lines on stdout) for the edge, the pages behind it and start-up.
// `log.level` sets its level; `log.requests` how much of the access log is written.
import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };
export type RequestLogging = "all" | "errors" | "none";

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino({ level: options.level, timestamp: pino.stdTimeFunctions.isoTime }, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing (tests, and servers built without logging). */
export const silentLogger = (): Logger => pino({ level: "silent" });
