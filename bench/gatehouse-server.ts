// Gatehouse as it runs in production (default argon2 parameters, SQLite), on a free port with a
// throwaway database. Creates one user, then prints one JSON line with what the load needs.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, createContext } from "../packages/server/src/app.ts";
import { parseConfig } from "../packages/server/src/config/load.ts";
import { createUser } from "../packages/server/src/users/users.ts";

const CLIENT = { client_id: "bench-spa", name: "Bench SPA", x_application_type: "spa", redirect_uris: ["http://127.0.0.1:9/callback"] };
const EMAIL = "bench@example.com";
const PASSWORD = "correct horse battery staple";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const config = parseConfig({
  http: { public_origin: url, listen: `127.0.0.1:${port}` },
  database: { url: `sqlite:${join(dir, "gatehouse.db")}` },
  // All load comes from one IP: lift the per-IP token limit out of reach (the limiter still runs).
  oauth: { clients: [CLIENT], rate_limits: { token_per_ip: { burst: 1_000_000_000, period: "1m" } } },
});
const ctx = await createContext(config);
const app = await buildApp(ctx);
const created = await createUser(ctx, { email: EMAIL, password: PASSWORD, verified: true });
if (!created.ok) throw new Error(created.reason);
await app.listen({ host: "127.0.0.1", port });
console.log(JSON.stringify({ url, clientId: CLIENT.client_id, redirectUri: CLIENT.redirect_uris[0], email: EMAIL, password: PASSWORD }));

// A clean exit on SIGTERM so --cpu-prof can write its profile.
process.on("SIGTERM", () => {
  app.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
