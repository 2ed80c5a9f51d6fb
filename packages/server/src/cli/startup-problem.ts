// Start-up failures an operator fixes in the config or on the machine, in one line naming the field
// and the fix. Anything else is reported in one line too; --debug adds the stack.
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../config/schema.ts";
import { redactedUrl } from "../storage/redis.ts";
import { isStorageUnavailable } from "../storage/errors.ts";

/** A listener that could not start, with the config field that names its address. */
export class ListenError extends Error {
  constructor(readonly field: "http.listen" | "metrics.listen", readonly address: string, readonly cause: Error) {
    super(`${field}: ${cause.message}`);
    this.name = "ListenError";
  }
}

type Failure = Error & { code?: unknown; syscall?: string; path?: string; hostname?: string; severity?: string };

export function startupProblem(err: unknown, config: Config | undefined): string | null {
  if (err instanceof ListenError) return listenProblem(err);
  const e = err as Failure;
  const code = typeof e?.code === "string" ? e.code : "";
  const dbUrl = config?.database.url ?? "";
  if (dbUrl.startsWith("sqlite:")) {
    const where = dbUrl.slice("sqlite:".length);
    if (e?.syscall === "mkdir" && (code === "EEXIST" || code === "ENOTDIR")) {
      return `database.url: cannot create the directory for ${where}: ${fileOnPath(where) ?? "a part of the path"} is a file, not a directory; point database.url at a file in a directory`;
    }
    if (e?.syscall === "mkdir" && (code === "EACCES" || code === "EROFS" || code === "EPERM")) {
      return `database.url: cannot create the directory ${e.path ?? ""} for ${where} (${code}); create it, or point database.url at a writable directory`;
    }
    if (code === "SQLITE_CANTOPEN") {
      return `database.url: cannot open ${where} (${e.message}); it must be a file (or not exist yet) in a directory this user can write`;
    }
  }
  if (dbUrl.startsWith("postgres")) {
    const at = redactedUrl(dbUrl);
    if (code === "ECONNREFUSED") return `database.url: cannot connect to ${at}: connection refused; start PostgreSQL, or fix the host and port`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `database.url: cannot connect to ${at}: host ${e.hostname ?? ""} not found; fix the host name`;
    if (code === "ETIMEDOUT" || /timeout/i.test(e?.message ?? "")) return `database.url: cannot connect to ${at}: no answer in time; check the host, port and firewall`;
    if (code === "28000") return `database.url: PostgreSQL at ${at} refused the login: ${e.message}; create the role, or fix the user name in database.url`;
    if (code === "28P01") return `database.url: PostgreSQL at ${at} refused the login: ${e.message}; fix the password in database.url`;
    if (code === "3D000") return `database.url: ${e.message} at ${at}; create it (createdb), or fix the database name in database.url`;
    if (e?.severity || code.startsWith("E")) return `database.url: cannot use ${at}: ${e.message}`;
  }
  if (isStorageUnavailable(err) || code.startsWith("SQLITE_") || e?.name === "SqliteError") {
    return `database.url: the database cannot be opened or written (${e.message}); check the path, its permissions and free space`;
  }
  return null;
}

function listenProblem(err: ListenError): string {
  const code = (err.cause as Failure).code;
  const flagHint = err.field === "http.listen" ? " (--port, PORT)" : "";
  if (code === "EADDRINUSE") return `${err.field}: ${err.address} is already in use; stop what listens there, or pick another port${flagHint}`;
  if (code === "EACCES") return `${err.field}: not allowed to listen on ${err.address}; use a port above 1023`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return `${err.field}: ${err.address} is not an address of this machine; listen on 0.0.0.0, 127.0.0.1 or one of its own addresses`;
  return `${err.field}: cannot listen on ${err.address}: ${err.cause.message}`;
}

/** The first existing non-directory among the directories leading to `path` (mkdir names only the one it tried). */
function fileOnPath(path: string): string | null {
  const parents: string[] = [];
  for (let p = dirname(resolve(path)); p !== dirname(p); p = dirname(p)) parents.unshift(p);
  for (const p of parents) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      return null;
    }
  }
  return null;
}
