// Registers sign-in by codes and links: the first-factor pages, the link page and the second-factor pages.
import type { FastifyInstance } from "fastify";
import type { Context } from "../../context.ts";
import { registerLinkRoutes } from "./link-routes.ts";
import { registerPrimaryOobRoutes } from "./primary-routes.ts";
import { registerSecondFactorPages } from "./second-factor-routes.ts";
import { registerSecondFactorSettings } from "./settings-routes.ts";

export function registerOobOtpRoutes(app: FastifyInstance, ctx: Context): void {
  registerPrimaryOobRoutes(app, ctx);
  registerLinkRoutes(app, ctx);
  registerSecondFactorPages(app, ctx);
  registerSecondFactorSettings(app, ctx);
}
