// Starts the real server over HTTP on a free port with its own temporary SQLite database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import type { FastifyInstance } from "fastify";
import { buildApp, createContext, type BuildOptions } from "../../src/app.ts";
import { parseConfig } from "../../src/config/load.ts";
import type { Context } from "../../src/context.ts";
import { createUser } from "../../src/users/users.ts";

export interface TestServer {
  url: string;
  ctx: Context;
  app: FastifyInstance;
  /** Moves the server's clock forward by this many seconds. */
  advance(seconds: number): void;
  createUser(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const SPA_CLIENT = {
  client_id: "test-spa",
  name: "Test SPA",
  x_application_type: "spa",
  redirect_uris: ["http://127.0.0.1:9/callback"],
  post_logout_redirect_uris: ["http://127.0.0.1:9/logged-out"],
};
export const CONFIDENTIAL_CLIENT = {
  client_id: "test-backend",
  name: "Test backend",
  x_application_type: "confidential",
  client_secret: "test-backend-secret-0123456789",
  redirect_uris: ["http://127.0.0.1:9/backend/callback"],
  post_logout_redirect_uris: ["http://127.0.0.1:9/backend/"],
};

export async function startTestServer(options: {
  clients?: Record<string, unknown>[]; config?: Record<string, unknown>; databaseUrl?: string; host?: string; revocationPollMs?: number; build?: BuildOptions;
  /** A port chosen beforehand (an upstream provider must know our callback URL first). */
  port?: number;
  /** Where calls to upstream sign-in providers go (Context.upstreamFetch). */
  upstreamFetch?: typeof fetch;
} = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-test-"));
  const port = options.port ?? (await freePort());
  const host = options.host ?? "127.0.0.1";
  const config = parseConfig({
    http: { public_origin: `http://${host}:${port}`, listen: `127.0.0.1:${port}` },
    database: { url: options.databaseUrl ?? `sqlite:${join(dir, "gatehouse.db")}` },
    // Cheap argon2 parameters keep the suite quick; production defaults are tested elsewhere.
    authentication: { password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 } },
    oauth: { clients: options.clients ?? [SPA_CLIENT, CONFIDENTIAL_CLIENT] },
    ...options.config,
  });
  let offset = 0;
  const ctx = await createContext(config, { now: () => Math.floor(Date.now() / 1000) + offset, upstreamFetch: options.upstreamFetch });
  const app = await buildApp(ctx, { revocationPollMs: options.revocationPollMs, ...options.build });
  await app.listen({ host: "127.0.0.1", port });
  return {
    url: `http://${host}:${port}`,
    ctx,
    app,
    advance: (seconds) => { offset += seconds; },
    async createUser(email, password) {
      const r = await createUser(ctx, { email, password, verified: true });
      if (!r.ok) throw new Error(r.reason);
      return r.user.id;
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
