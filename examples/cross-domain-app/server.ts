// Runs the example app: `npx tsx examples/cross-domain-app/server.ts` (see README.md).
import { createCrossDomainSession } from "@gatehouse/node";
import { createExampleApp } from "./app.ts";

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`set ${name} (see examples/cross-domain-app/README.md)`);
  return value;
};

const port = Number(env("PORT", "4000"));
const origin = env("APP_ORIGIN", `http://127.0.0.1:${port}`);

const auth = createCrossDomainSession({
  issuer: env("GATEHOUSE_ISSUER", "http://localhost:3000"),
  clientId: env("CLIENT_ID", "other-app"),
  clientSecret: env("CLIENT_SECRET", "other-app-secret-change-me-0123456789"),
  redirectUri: `${origin}/callback`,
  postLogoutRedirectUri: `${origin}/`,
  cookieName: "other_app_session",
  // Generate one with `openssl rand -base64 32`; the default is for local trials only.
  cookieSecret: env("COOKIE_SECRET", "dev-only-cookie-secret-0123456789abcdef"),
});

createExampleApp(auth).listen(port, "127.0.0.1", () => {
  console.log(`Other App is running at ${origin}/ (signing in with ${env("GATEHOUSE_ISSUER", "http://localhost:3000")})`);
});
