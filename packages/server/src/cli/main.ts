// gatehouse init | start | migrate | users create — these exact commands are a contract.
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadConfigFile, parseConfig } from "../config/load.ts";
import { STARTER_CONFIG } from "../config/starter.ts";
import type { Config } from "../config/schema.ts";
import { demoConfig } from "../demo/config.ts";
import { createContext } from "../app.ts";
import { startServer } from "./start.ts";
import { createUser } from "../users/users.ts";
import { createAdminKey } from "../admin/keys.ts";
import { formatOutbox } from "../account/messaging/outbox-view.ts";
import { isStorageUnavailable } from "../storage/errors.ts";
import { violationsInWords } from "../account/policy/describe.ts";
import { OPERATOR_USAGE, runOperatorCommand } from "./operators.ts";

const USAGE = `usage:
  gatehouse init [--config gatehouse.yaml]
  gatehouse start [--config FILE] [--port N] [--demo]
  gatehouse migrate --config FILE
  gatehouse users create --config FILE --email E --password P [--verified]
  gatehouse admin-keys create --config FILE [--name NAME]   (prints the key once)
  gatehouse outbox --config FILE [--limit N]   (emails kept locally when no SMTP is set, newest first)
  gatehouse keys rotate --config FILE   (new signing key; the old one stays published for verification)
${OPERATOR_USAGE}
Environment: GATEHOUSE_CONFIG (config file), PORT (listen port).`;

const options = {
  config: { type: "string" },
  port: { type: "string" },
  demo: { type: "boolean" },
  email: { type: "string" },
  password: { type: "string" },
  verified: { type: "boolean" },
  name: { type: "string" },
  limit: { type: "string" },
  user: { type: "string" },
  action: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function resolveConfig(values: { config?: string; port?: string; demo?: boolean }): Config {
  const file = values.config ?? process.env.GATEHOUSE_CONFIG ?? (existsSync("gatehouse.yaml") ? "gatehouse.yaml" : undefined);
  const portText = values.port ?? process.env.PORT;
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) throw new ConfigError(`--port/PORT must be a port number, got ${JSON.stringify(portText)}`);
  if (!file) {
    if (!values.demo) throw new ConfigError("no config: pass --config FILE, set GATEHOUSE_CONFIG, or run `gatehouse init`");
    return parseConfig(demoConfig(portText ? Number(portText) : 3000));
  }
  const config = loadConfigFile(file);
  if (portText) config.http.listen = `${config.http.listen.split(":")[0]}:${portText}`;
  return config;
}

// The one-shot commands work on the database only: they do not need Redis, and should not fail
// for its sake.
const openContext = (values: { config?: string; port?: string; demo?: boolean }) => createContext(resolveConfig(values), { redis: false });

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals.join(" ");
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const operated = await runOperatorCommand(positionals, values, () => openContext(values));
    if (operated !== null) return operated;
    switch (command) {
      case "init": {
        const file = values.config ?? "gatehouse.yaml";
        if (existsSync(file)) {
          console.error(`${file} already exists; not overwriting it`);
          return 1;
        }
        writeFileSync(file, STARTER_CONFIG, { mode: 0o600 });
        console.log(`wrote ${file}`);
        return 0;
      }
      case "start":
        await startServer(resolveConfig(values), { demo: values.demo === true && !values.config && !process.env.GATEHOUSE_CONFIG && !existsSync("gatehouse.yaml") });
        return 0;
      case "migrate": {
        const ctx = await openContext(values);
        await ctx.close();
        console.log("database is up to date");
        return 0;
      }
      case "users create": {
        if (!values.email || !values.password) throw new ConfigError("users create needs --email and --password");
        const ctx = await openContext(values);
        try {
          const result = await createUser(ctx, { email: values.email, password: values.password, verified: values.verified });
          if (!result.ok) {
            console.error(result.reason === "weak_password"
              ? `password refused by authentication.password_policy: it must ${violationsInWords(result.rules, ctx.config.authentication.password_policy)}`
              : { invalid_email: "invalid email address", email_taken: "a user with this email already exists" }[result.reason]);
            return 1;
          }
          console.log(result.user.id);
          return 0;
        } finally {
          await ctx.close();
        }
      }
      case "admin-keys create": {
        const ctx = await openContext(values);
        try {
          const { id, key } = await createAdminKey(ctx, values.name ?? "cli");
          await ctx.storage.auditLog.append({ at: ctx.now(), actor: "cli", action: "admin_key.create", targetType: "admin_key", targetId: id, details: { name: values.name ?? "cli" } });
          console.log(key);
          console.error("Store this key now: it is not shown again.");
          return 0;
        } finally {
          await ctx.close();
        }
      }
      case "keys rotate": {
        const ctx = await openContext(values);
        try {
          const old = ctx.keys.current().kid;
          await ctx.keys.rotate(ctx.now());
          await ctx.storage.auditLog.append({ at: ctx.now(), actor: "cli", action: "signing_key.rotate", targetType: "signing_key", targetId: ctx.keys.current().kid, details: { previous: old } });
          console.log(ctx.keys.current().kid);
          console.error(`Signing with the new key; ${old} stays in the JWKS. Running nodes switch within a minute.`);
          return 0;
        } finally {
          await ctx.close();
        }
      }
      case "outbox": {
        const limit = values.limit === undefined ? 20 : Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new ConfigError("--limit must be a positive whole number");
        const ctx = await openContext(values);
        try {
          process.stdout.write(formatOutbox(await ctx.storage.outbox.list(limit)));
          return 0;
        } finally {
          await ctx.close();
        }
      }
      default:
        console.error(`unknown command: ${command}\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    const problem = startupProblem(err);
    if (problem) {
      console.error(`gatehouse: ${problem}`);
      return 1;
    }
    throw err;
  }
}

/** A failure an operator fixes in the config or on the machine: one line naming the field, no stack. */
function startupProblem(err: unknown): string | null {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const code = typeof e?.code === "string" ? e.code : "";
  if (code === "EADDRINUSE") return `http.listen: ${e.address ?? ""}:${e.port ?? ""} is already in use; stop what listens there, or pick another port (--port, PORT)`;
  if (code === "EACCES" && e.syscall === "listen") return `http.listen: not allowed to listen on ${e.address ?? ""}:${e.port ?? ""}; use a port above 1023`;
  if (isStorageUnavailable(err) || code.startsWith("SQLITE_") || e?.name === "SqliteError") {
    return `database.url: the database cannot be opened or written (${e.message}); check the path, its permissions and free space`;
  }
  return null;
}
