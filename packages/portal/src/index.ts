// The operator portal: plain ES modules and CSS from ../public, read once at start-up and served
// under /portal with a strict CSP. Every other /portal/ path without a file extension gets
// index.html so hash-free deep links and reloads still land in the app.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export const PORTAL_PREFIX = "/portal";

export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

/** Every file under `dir`, keyed by its URL path relative to the portal root ("views/users.js"). */
export function loadAssets(dir: string = PUBLIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith(".")) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) { walk(path); continue; }
      const type = CONTENT_TYPES[extname(name).toLowerCase()];
      if (!type) continue;
      const body = readFileSync(path);
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
      assets.set(relative(dir, path).split(sep).join("/"), { body, type, etag });
    }
  };
  walk(dir);
  if (!assets.has("index.html")) throw new Error(`portal: no index.html in ${dir}`);
  return assets;
}

function setSecurityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("content-security-policy", PORTAL_CSP)
    .header("x-frame-options", "DENY")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cross-origin-opener-policy", "same-origin")
    .header("cross-origin-resource-policy", "same-origin");
}

export function registerPortal(app: FastifyInstance): void {
  const assets = loadAssets();
  const index = assets.get("index.html")!;

  const send = (request: FastifyRequest, reply: FastifyReply, asset: Asset): FastifyReply => {
    setSecurityHeaders(reply)
      .header("etag", asset.etag)
      // Revalidate every time: the files are small and an operator should never run stale code.
      .header("cache-control", "no-cache")
      .type(asset.type);
    if (request.headers["if-none-match"] === asset.etag) return reply.code(304).send();
    return reply.code(200).send(asset.body);
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = request.url.split("?", 1)[0].split("#", 1)[0];
    let rest = path === PORTAL_PREFIX ? "" : path.slice(PORTAL_PREFIX.length + 1);
    try { rest = decodeURIComponent(rest); } catch { rest = ""; }
    if (rest === "" || rest === "index.html") return send(request, reply, index);
    const asset = assets.get(rest);
    if (asset) return send(request, reply, asset);
    // Anything that looks like a file but is not one is a real 404, so a broken module import
    // fails loudly instead of being answered with HTML.
    if (/\.[A-Za-z0-9]+$/.test(rest)) {
      return setSecurityHeaders(reply).code(404).header("cache-control", "no-store").type("text/plain; charset=utf-8").send("Not found");
    }
    return send(request, reply, index);
  };

  app.get(PORTAL_PREFIX, handler);
  app.get(`${PORTAL_PREFIX}/*`, handler);
}
