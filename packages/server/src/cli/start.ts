// `gatehouse start`: the server, and a banner saying which config it runs with and where to reach it.
import { buildApp, createContext } from "../app.ts";
import { registerDemoRoutes } from "../demo/routes.ts";
import { ListenError } from "./startup-problem.ts";
import type { ResolvedConfig } from "./resolve-config.ts";

const isListenFailure = (err: unknown): err is Error & { address?: string; port?: number } => (err as { syscall?: string })?.syscall === "listen";

export async function startServer({ config, source, demo, notes }: ResolvedConfig): Promise<void> {
  const ctx = await createContext(config);
  const app = await buildApp(ctx, { logger: true }).catch((err: unknown) => {
    // buildApp opens one listener of its own: metrics.listen.
    throw isListenFailure(err) ? new ListenError("metrics.listen", config.metrics.listen ?? "", err) : err;
  });
  if (demo) registerDemoRoutes(app);
  const at = config.http.listen.lastIndexOf(":");
  const host = config.http.listen.slice(0, at) || "0.0.0.0";
  const port = Number(config.http.listen.slice(at + 1));
  const origin = ctx.issuer;
  await app.listen({
    host,
    port,
    // Fastify would log a URL per interface (http://127.0.0.1:…, http://10.…, http://[::1]:…); a browser
    // sent there gets cookies and redirects for another origin. Name the socket, and the one URL to use.
    listenTextResolver: (address) => `listening on ${address.replace(/^https?:\/\//, "")}; open ${origin}`,
  }).catch((err: unknown) => {
    throw isListenFailure(err) ? new ListenError("http.listen", `${host}:${port}`, err) : err;
  });
  console.log([
    "",
    `Gatehouse is running at ${origin}`,
    `  config:    ${source}`,
    `  listening: ${host}:${port}`,
    ...notes.map((note) => `  note:      ${note}`),
    `  discovery: ${origin}/.well-known/openid-configuration`,
    ...(demo ? [
      `  demo app:  ${origin}/demo/   (client_id demo-spa; sign up there, or create a user:)`,
      `  npx gatehouse users create --email you@example.com --password 'a-long-password' --verified --demo`,
      `  outbox:    ${origin}/_dev/outbox   (no SMTP in the demo; or: npx gatehouse outbox --demo)`,
      `  portal:    ${origin}/portal   (sign in with a key from: npx gatehouse admin-keys create --demo)`,
    ] : [`  portal:    ${origin}/portal   (sign in with a key from: npx gatehouse admin-keys create)`]),
  ].join("\n"));
  const stop = async (): Promise<void> => {
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
