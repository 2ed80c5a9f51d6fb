// Which config a command runs with: --config, GATEHOUSE_CONFIG, ./gatehouse.yaml, or (with --demo and
// none of those) the built-in demo config. --port / PORT override the listen port.
import { existsSync } from "node:fs";
import { ConfigError, loadConfigFile, parseConfig } from "../config/load.ts";
import type { Config } from "../config/schema.ts";
import { demoConfig } from "../demo/config.ts";
import type { FlagValues } from "./flags.ts";

export const DEMO_SOURCE = "built-in demo config";

export interface ResolvedConfig {
  config: Config;
  /** The config file loaded, or DEMO_SOURCE. */
  source: string;
  demo: boolean;
  /** What was decided on the operator's behalf, for the start banner. */
  notes: string[];
}

export function resolveConfig(values: FlagValues, options: { start?: boolean } = {}): ResolvedConfig {
  const file = values.config ?? process.env.GATEHOUSE_CONFIG ?? (existsSync("gatehouse.yaml") ? "gatehouse.yaml" : undefined);
  const portText = values.port ?? process.env.PORT;
  const portSource = values.port !== undefined ? "--port" : "PORT";
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) throw new ConfigError(`${portSource} must be a port number, got ${JSON.stringify(portText)}`);
  if (!file) {
    if (!values.demo) throw new ConfigError("no config: pass --config FILE, set GATEHOUSE_CONFIG, run `gatehouse init`, or add --demo for the built-in demo config");
    // The demo's public origin (and its client's redirect URIs) follow the port, so they always agree.
    const port = portText ? Number(portText) : 3000;
    const notes = portText ? [`http.public_origin follows ${portSource} ${port} (demo mode)`] : [];
    return { config: parseConfig(demoConfig(port)), source: DEMO_SOURCE, demo: true, notes };
  }
  const config = loadConfigFile(file, { secretsFile: values.secrets ?? process.env.GATEHOUSE_SECRETS });
  const notes = values.demo ? [`--demo ignored: ${file} was loaded`] : [];
  if (portText) config.http.listen = `${config.http.listen.slice(0, config.http.listen.lastIndexOf(":"))}:${portText}`;
  if (options.start) checkOriginAgreesWithListen(config, file, portText ? portSource : undefined);
  return { config, source: file, demo: false, notes };
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A loopback public origin on one port while the server listens on another is a mistake (discovery,
 * redirects and cookies would point where nothing answers). Any other origin may sit behind a proxy
 * that maps ports, so it is left alone.
 */
function checkOriginAgreesWithListen(config: Config, file: string, portSource: string | undefined): void {
  const origin = new URL(config.http.public_origin);
  if (!LOOPBACK.has(origin.hostname) && !origin.hostname.endsWith(".localhost")) return;
  const originPort = Number(origin.port || (origin.protocol === "https:" ? 443 : 80));
  const listenPort = Number(config.http.listen.slice(config.http.listen.lastIndexOf(":") + 1));
  if (listenPort === 0 || listenPort === originPort) return;
  const fixed = new URL(origin.href);
  fixed.port = String(listenPort);
  const suggestion = `change http.public_origin in ${file} to "${fixed.origin}"`;
  throw new ConfigError(portSource
    ? `http.public_origin: ${origin.origin} names port ${originPort} but ${portSource} is ${listenPort}; ${suggestion}, or drop ${portSource}`
    : `http.public_origin: ${origin.origin} names port ${originPort} but http.listen is ${config.http.listen}; ${suggestion}, or make http.listen use port ${originPort}`);
}
