// Registers the account feature's pages: email verification, the second login step, password
// reset, settings, and (when enabled) the development outbox.
import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";
import { registerSecondFactorRoutes } from "./mfa/login-routes.ts";
import { OUTBOX_PATH, outboxPage } from "./messaging/outbox-view.ts";
import { registerResetRoutes } from "./reset/routes.ts";
import { registerSettingsRoutes } from "./settings/routes.ts";
import { registerProfileRoutes } from "./settings/profile-routes.ts";
import { ACCOUNT_CSS } from "./ui/layout.ts";
import { ACCOUNT_JS, ACCOUNT_JS_PATH } from "./ui/reveal.ts";
import { sendHtml, uiFor } from "./ui/respond.ts";
import { registerVerificationRoutes } from "./verification/routes.ts";
import { registerBrandAssetRoutes } from "./ui/assets-routes.ts";
import { registerSettingsActionPages } from "../settings-surface/action-pages.ts";
import { registerPasskeyRoutes } from "./passkeys/routes.ts";
import { registerOobOtpRoutes } from "./oob-otp/routes.ts";

export function registerAccountRoutes(app: FastifyInstance, ctx: Context): void {
  app.get("/_gatehouse/account.css", async (_req, reply) => reply.type("text/css").header("cache-control", "public, max-age=3600").send(ACCOUNT_CSS));
  registerBrandAssetRoutes(app, ctx);
  app.get(ACCOUNT_JS_PATH, async (_req, reply) => reply.type("text/javascript; charset=utf-8").header("cache-control", "public, max-age=3600").send(ACCOUNT_JS));
  registerVerificationRoutes(app, ctx);
  registerSecondFactorRoutes(app, ctx);
  registerResetRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  registerSettingsActionPages(app, ctx);
  registerPasskeyRoutes(app, ctx);
  registerOobOtpRoutes(app, ctx);
  if (ctx.config.messaging.dev_outbox_page) {
    app.get(OUTBOX_PATH, async (request, reply) => sendHtml(ctx, reply, outboxPage(uiFor(ctx, request), await ctx.storage.outbox.list(50))));
  }
}
