// The storage adapters' one error for "the database cannot answer right now" (a timeout, a refused or
// cut connection, a full or read-only disk). The edge answers it with 503 temporarily_unavailable.
export class StorageUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "StorageUnavailableError";
  }
}

export const isStorageUnavailable = (err: unknown): boolean => err instanceof StorageUnavailableError;
