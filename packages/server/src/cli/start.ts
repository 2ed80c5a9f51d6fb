import type { Config } from "../config/schema.ts";
import { buildApp, createContext } from "../app.ts";
import { registerDemoRoutes } from "../demo/routes.ts";

export async function startServer(config: Config, options: { demo: boolean }): Promise<void> {
  const ctx = await createContext(config);
  const app = await buildApp(ctx, { logger: true });
  if (options.demo) registerDemoRoutes(app);
  const [host, port] = config.http.listen.split(":");
  await app.listen({ host: host || "0.0.0.0", port: Number(port) });
  const origin = ctx.issuer;
  console.log(`\nGatehouse is running at ${origin}\n  discovery: ${origin}/.well-known/openid-configuration`);
  if (options.demo) {
    console.log(`  demo app:  ${origin}/demo/   (client_id demo-spa; sign up there, or create a user:)`);
    console.log(`  npx gatehouse users create --email you@example.com --password 'a-long-password' --verified --demo`);
    console.log(`  outbox:    ${origin}/_dev/outbox   (no SMTP in the demo; or: npx gatehouse outbox --demo)`);
    console.log(`  admin key: npx gatehouse admin-keys create --demo`);
  }
  const stop = async (): Promise<void> => {
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
