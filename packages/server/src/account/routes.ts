// Registers the account feature's pages: email verification, the second login step, password
// reset, settings, and (when enabled) the development outbox.
import type { FastifyInstance } from "fastify";
import type { Context } from "../context.ts";
import { registerSecondFactorRoutes } from "./mfa/login-routes.ts";
import { outboxPage } from "./messaging/outbox-view.ts";
import { registerResetRoutes } from "./reset/routes.ts";
import { registerSettingsRoutes } from "./settings/routes.ts";
import { registerProfileRoutes } from "./settings/profile-routes.ts";
import { ACCOUNT_CSS } from "./ui/layout.ts";
import { sendHtml, uiFor } from "./ui/respond.ts";
import { registerVerificationRoutes } from "./verification/routes.ts";

export function registerAccountRoutes(app: FastifyInstance, ctx: Context): void {
  app.get("/_gatehouse/account.css", async (_req, reply) => reply.type("text/css").header("cache-control", "public, max-age=3600").send(ACCOUNT_CSS));
  registerVerificationRoutes(app, ctx);
  registerSecondFactorRoutes(app, ctx);
  registerResetRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  if (ctx.config.messaging.dev_outbox_page) {
    app.get("/_dev/outbox", async (request, reply) => sendHtml(ctx, reply, outboxPage(uiFor(request), await ctx.storage.outbox.list(50))));
  }
}
