// Every flag the CLI knows, once: parsing, per-command checks and help all read this table.
export interface Flag {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder shown in help for a string flag, e.g. FILE. */
  value?: string;
  help: string;
}

export const flags = {
  config: { type: "string", value: "FILE", help: "the config file (default: GATEHOUSE_CONFIG, else ./gatehouse.yaml)" },
  secrets: { type: "string", value: "FILE", help: "a secrets file shaped like Authgear's authgear.secrets.yaml (sso.oauth.client: social login client secrets; admin-api.auth: the admin API's JWT keys; also GATEHOUSE_SECRETS)" },
  demo: { type: "boolean", help: "with no config file, use the built-in demo config (a demo app at /demo/, SQLite in ./data)" },
  port: { type: "string", value: "N", help: "listen on this port (also PORT); must agree with http.public_origin" },
  email: { type: "string", value: "E", help: "the user's email address" },
  password: { type: "string", value: "P", help: "the user's password (checked against authentication.password_policy)" },
  verified: { type: "boolean", help: "mark the email address as verified" },
  name: { type: "string", value: "NAME", help: "a name to recognise the key by (default: cli)" },
  limit: { type: "string", value: "N", help: "how many to show (outbox: 20 messages by default; audit-log: 50 entries, at most 200)" },
  user: { type: "string", value: "EMAIL-OR-ID", help: "only this user's entries" },
  action: { type: "string", value: "TYPE", help: "only entries of this event type (e.g. user.authenticated)" },
  debug: { type: "boolean", help: "show the stack trace of a start-up failure" },
  "authgear-config": { type: "string", value: "FILE", help: "import: the Authgear project's authgear.yaml" },
  "authgear-secrets": { type: "string", value: "FILE", help: "import: the Authgear project's authgear.secrets.yaml" },
  "database-url": { type: "string", value: "URL", help: "import: Authgear's PostgreSQL, postgres://…[?schema=NAME]" },
  "redis-url": { type: "string", value: "URL", help: "import: Authgear's Redis, redis://… (its sessions; without it apps sign in again)" },
  "redis-prefix": { type: "string", value: "P", help: "import: a prefix in front of Authgear's Redis keys" },
  ndjson: { type: "string", value: "FILE", help: "import: an Authgear user export (NDJSON) instead of its database, into the database of --config (no passwords: the export has none)" },
  "dry-run": { type: "boolean", help: "import: report what would happen; write nothing" },
  help: { type: "boolean", short: "h", help: "show help" },
} satisfies Record<string, Flag>;

export type FlagName = keyof typeof flags;
export type FlagValues = { [K in FlagName]?: (typeof flags)[K]["type"] extends "string" ? string : boolean };

/** Flags every command takes. */
export const globalFlags: FlagName[] = ["debug", "help"];
