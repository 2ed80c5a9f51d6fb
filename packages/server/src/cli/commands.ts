// The `gatehouse` commands: one row each. Dispatch and help both read this table, so a command
// cannot exist without its help text. Each command loads what it needs when it runs, so that a
// one-shot command does not pay for loading the web server.
import type { FlagName, FlagValues } from "./flags.ts";
import type { Context } from "../context.ts";
import { ConfigError } from "../config/errors.ts";

export interface Command {
  /** The words after `gatehouse`, e.g. "users create". */
  name: string;
  summary: string;
  /** The one positional argument it takes, as help shows it, e.g. "<id-or-name>". */
  argument?: string;
  flags: FlagName[];
  /** Flags the command cannot run without. */
  required?: FlagName[];
  /** A flag that, given, stands in for all of `required` (import's --ndjson). */
  requiredUnless?: FlagName;
  run(values: FlagValues, argument?: string): Promise<number>;
}

// One-shot commands work on the database only: they do not need Redis, and should not fail for its sake.
async function withContext(values: FlagValues, use: (ctx: Context) => Promise<number>): Promise<number> {
  const { resolveConfig } = await import("./resolve-config.ts");
  const { config } = resolveConfig(values);
  const { createContext } = await import("../open-context.ts");
  const ctx = await createContext(config, { redis: false });
  try {
    return await use(ctx);
  } finally {
    await ctx.close();
  }
}

export const commands: Command[] = [
  {
    name: "init",
    summary: "write a commented starter config (default ./gatehouse.yaml); never overwrites",
    flags: ["config"],
    async run(values) {
      const { existsSync, writeFileSync } = await import("node:fs");
      const { STARTER_CONFIG } = await import("../config/starter.ts");
      const file = values.config ?? "gatehouse.yaml";
      if (existsSync(file)) {
        console.error(`${file} already exists; not overwriting it`);
        return 1;
      }
      writeFileSync(file, STARTER_CONFIG, { mode: 0o600 });
      console.log(`wrote ${file}`);
      return 0;
    },
  },
  {
    name: "start",
    summary: "run the server (migrates the database first)",
    flags: ["config", "secrets", "port", "demo"],
    async run(values) {
      const { startServer } = await import("./start.ts");
      const { resolveConfig } = await import("./resolve-config.ts");
      await startServer(resolveConfig(values, { start: true }));
      return 0;
    },
  },
  {
    name: "migrate",
    summary: "bring the database schema up to date",
    flags: ["config", "demo"],
    run: (values) => withContext(values, async () => {
      console.log("database is up to date");
      return 0;
    }),
  },
  {
    name: "users create",
    summary: "create a user; prints the user id",
    flags: ["config", "demo", "email", "password", "verified"],
    required: ["email", "password"],
    run: (values) => withContext(values, async (ctx) => {
      const { createUser } = await import("../users/users.ts");
      const { violationsInWords } = await import("../account/policy/describe.ts");
      const result = await createUser(ctx, { email: values.email!, password: values.password!, verified: values.verified });
      if (!result.ok) {
        console.error(result.reason === "weak_password"
          ? `password refused by authentication.password_policy: it must ${violationsInWords(result.rules, ctx.config.authentication.password_policy)}`
          : result.reason === "hook_denied" ? `refused by a user.pre_create hook${result.failed ? " (it failed: see the log line above)" : `: ${[result.title, result.message].filter(Boolean).join(": ")}`}`
          : { invalid_email: "invalid email address", email_taken: "a user with this email already exists" }[result.reason]);
        return 1;
      }
      console.log(result.user.id);
      return 0;
    }),
  },
  {
    name: "admin-keys create",
    summary: "create an admin API key; prints it once (only its hash is stored)",
    flags: ["config", "demo", "name"],
    run: (values) => withContext(values, async (ctx) => {
      const { createAdminKey } = await import("../admin/keys.ts");
      const name = values.name ?? "cli";
      const { id, key } = await createAdminKey(ctx, name);
      await ctx.storage.auditLog.append({ at: ctx.now(), actor: "cli", action: "admin_key.create", targetType: "admin_key", targetId: id, details: { name } });
      console.log(key);
      console.error("Store this key now: it is not shown again.");
      return 0;
    }),
  },
  {
    name: "admin-keys list",
    summary: "list admin API keys: name, created, last used, revoked",
    flags: ["config", "demo"],
    run: (values) => withContext(values, async (ctx) => (await import("./operators.ts")).listAdminKeys(ctx)),
  },
  {
    name: "admin-keys revoke",
    summary: "revoke an admin API key by id or name; it stops working at once",
    argument: "<id-or-name>",
    flags: ["config", "demo"],
    run: (values, ref) => withContext(values, async (ctx) => (await import("./operators.ts")).revokeKey(ctx, ref!)),
  },
  {
    name: "users reset-lockout",
    summary: "clear a user's failed sign-ins and lockout",
    argument: "<email-or-id>",
    flags: ["config", "demo"],
    run: (values, ref) => withContext(values, async (ctx) => (await import("./operators.ts")).resetLockout(ctx, ref!)),
  },
  {
    name: "users remove-mfa",
    summary: "remove a user's TOTP and recovery codes (\"I lost my phone\"); ends nothing else",
    argument: "<email-or-id>",
    flags: ["config", "demo"],
    run: (values, ref) => withContext(values, async (ctx) => (await import("./operators.ts")).removeMfa(ctx, ref!)),
  },
  {
    name: "audit-log",
    summary: "show the audit log, newest first",
    flags: ["config", "demo", "user", "action", "limit"],
    async run(values) {
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ConfigError("--limit must be a whole number from 1 to 200");
      return withContext(values, async (ctx) => (await import("./operators.ts")).showAuditLog(ctx, { user: values.user, action: values.action, limit }));
    },
  },
  {
    name: "keys rotate",
    summary: "start signing with a new key; the old one stays published for verification",
    flags: ["config", "demo"],
    run: (values) => withContext(values, async (ctx) => {
      const old = ctx.keys.current().kid;
      await ctx.keys.rotate(ctx.now());
      await ctx.storage.auditLog.append({ at: ctx.now(), actor: "cli", action: "signing_key.rotate", targetType: "signing_key", targetId: ctx.keys.current().kid, details: { previous: old } });
      console.log(ctx.keys.current().kid);
      console.error(`Signing with the new key; ${old} stays in the JWKS. Running nodes switch within a minute.`);
      return 0;
    }),
  },
  {
    name: "outbox",
    summary: "list emails kept locally when no SMTP server is set, newest first",
    flags: ["config", "demo", "limit"],
    async run(values) {
      const limit = values.limit === undefined ? 20 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new ConfigError("--limit must be a positive whole number");
      return withContext(values, async (ctx) => {
        const { formatOutbox } = await import("../account/messaging/outbox-view.ts");
        process.stdout.write(formatOutbox(await ctx.storage.outbox.list(limit)));
        return 0;
      });
    },
  },
  {
    name: "import",
    summary: "import an Authgear project (config, users, sessions, signing keys); safe to run again",
    argument: "authgear",
    flags: ["config", "authgear-config", "authgear-secrets", "database-url", "redis-url", "redis-prefix", "ndjson", "dry-run"],
    required: ["authgear-config", "authgear-secrets", "database-url"],
    requiredUnless: "ndjson",
    async run(values, source) {
      if (source !== "authgear") throw new ConfigError(`gatehouse import: unknown source ${JSON.stringify(source)} (only authgear)`);
      if (values.ndjson !== undefined) {
        const other = (["authgear-config", "authgear-secrets", "database-url", "redis-url", "redis-prefix"] as const).filter((f) => values[f] !== undefined);
        if (other.length) throw new ConfigError(`gatehouse import: --ndjson reads an export file into the database of --config; it does not take --${other.join(", --")}`);
        const file = values.ndjson;
        const { importNdjson } = await import("../import/authgear/ndjson.ts");
        return withContext(values, async (ctx) => (await importNdjson(ctx, { file, dryRun: values["dry-run"] ?? false })).code);
      }
      const { importAuthgear } = await import("../import/authgear/command.ts");
      const { code } = await importAuthgear({
        configFile: values.config ?? process.env.GATEHOUSE_CONFIG ?? "gatehouse.yaml",
        authgearConfig: values["authgear-config"]!, authgearSecrets: values["authgear-secrets"]!, databaseUrl: values["database-url"]!,
        redisUrl: values["redis-url"], redisPrefix: values["redis-prefix"], dryRun: values["dry-run"] ?? false,
      });
      return code;
    },
  },
];
