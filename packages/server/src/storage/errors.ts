// One error for "the database did not answer in time or cannot take writes now", thrown by every
// adapter, so the edge can answer 503 `temporarily_unavailable` (RFC 6749 §4.1.2.1, §5.2 has no
// such code for the token endpoint, but clients treat 503 as retryable) instead of a 500 or a hang.
// Anything else a driver throws (a constraint the code did not expect, bad SQL) stays a bug: 500.

export class StorageUnavailableError extends Error {
  override readonly name = "StorageUnavailableError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
  }
}

export function isStorageUnavailable(err: unknown): err is StorageUnavailableError {
  return err instanceof StorageUnavailableError;
}

// Node socket errors: the server is down, unreachable, or the connection broke mid-query.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED"]);

// SQLSTATE classes/codes that mean "not now" rather than "your statement is wrong":
// 08 connection exception, 53 insufficient resources (disk full, out of memory, too many
// connections), 57014 statement_timeout/cancel, 57P01-03 shutdown/starting up, 25P03
// idle_in_transaction_session_timeout, 55P03 lock_timeout, 58 system error (I/O).
const PG_STATE = /^(08|53|58)|^(57014|57P01|57P02|57P03|25P03|55P03)$/;

// Messages from pg and pg-pool for client-side timeouts and broken connections (they carry no code).
const PG_MESSAGES = [
  "timeout exceeded when trying to connect", // pg-pool: connectionTimeoutMillis while waiting
  "Connection terminated", // pg: "… due to connection timeout", "… unexpectedly"
  "Query read timeout", // pg: query_timeout
  "Client has encountered a connection error",
  "Connection ended",
];

/** Wraps a pg / pg-pool error that means the database is unavailable; returns anything else as is. */
export function fromPostgresError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof StorageUnavailableError) return err;
  const code = (err as { code?: unknown }).code;
  const unavailable = (typeof code === "string" && (NETWORK_CODES.has(code) || PG_STATE.test(code)))
    || PG_MESSAGES.some((m) => err.message.includes(m));
  return unavailable ? new StorageUnavailableError(`database unavailable: ${err.message}`, { cause: err }) : err;
}

// better-sqlite3 reports extended result codes ("SQLITE_IOERR_WRITE", "SQLITE_BUSY_SNAPSHOT");
// the primary code is the prefix. BUSY: another writer held the lock past busy_timeout; FULL:
// the disk (or tmpfs) is full; IOERR: the disk failed; READONLY: the file or its directory cannot
// be written; CANTOPEN: the journal/WAL cannot be created; NOMEM.
const SQLITE_PRIMARY = /^SQLITE_(BUSY|FULL|IOERR|READONLY|CANTOPEN|NOMEM|LOCKED)(_|$)/;

/** Wraps a better-sqlite3 error that means the database cannot serve now; returns anything else as is. */
export function fromSqliteError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof StorageUnavailableError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && SQLITE_PRIMARY.test(code)) return new StorageUnavailableError(`database unavailable: ${err.message} (${code})`, { cause: err });
  return err;
}

/**
 * Returns the stores with every port method's failures passed through `translate`: one place per
 * adapter, so no store method can forget it. Port methods are async; the wrapper adds one promise.
 */
export function translateErrors<T extends object>(stores: T, translate: (err: unknown) => unknown): T {
  const rethrow = (err: unknown): never => {
    throw translate(err);
  };
  const out: Record<string, unknown> = {};
  for (const [name, port] of Object.entries(stores)) {
    if (typeof port !== "object" || port === null) {
      out[name] = port;
      continue;
    }
    const wrapped: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(port as Record<string, unknown>)) {
      if (typeof fn !== "function") {
        wrapped[method] = fn;
        continue;
      }
      wrapped[method] = (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = (fn as (...a: unknown[]) => unknown).apply(port, args);
        } catch (err) {
          return rethrow(err);
        }
        return result instanceof Promise ? result.catch(rethrow) : result;
      };
    }
    out[name] = wrapped;
  }
  return out as T;
}
