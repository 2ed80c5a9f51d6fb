// The hosted pages' branded files: favicon (also at /favicon.ico, which browsers ask for on their
// own), logo and theme.css. Each is the operator's file, served from our origin so the page CSP
// stays 'self'; an SVG opened directly runs nothing (its own CSP, sandboxed).
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Context } from "../../context.ts";
import { loadBrandAssets, type Asset } from "./branding.ts";

const ASSET_HEADERS = {
  "cache-control": "public, max-age=3600",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
};

export function registerBrandAssetRoutes(app: FastifyInstance, ctx: Context): void {
  const assets = loadBrandAssets(ctx.config);
  const send = (reply: FastifyReply, asset: Asset): FastifyReply => reply.headers(ASSET_HEADERS).type(asset.type).send(asset.body);

  app.get("/_gatehouse/favicon", async (_req, reply) => send(reply, assets.favicon));
  app.get("/favicon.ico", async (_req, reply) => send(reply, assets.favicon));
  app.get("/_gatehouse/theme.css", async (_req, reply) => send(reply, { type: "text/css; charset=utf-8", body: assets.themeCss }));
  const logo = assets.logo;
  if (logo) app.get("/_gatehouse/logo", async (_req, reply) => send(reply, logo));
}
