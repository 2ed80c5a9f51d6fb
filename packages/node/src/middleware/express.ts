// Express (or Connect, or plain node:http) middleware. It uses only node:http primitives, so it
// needs no Express import at runtime.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createAuthenticator, type AuthenticateOptions, type GatehouseAuth } from "./authenticate.ts";

declare global {
  namespace Express {
    interface Request {
      /** Set by @gatehouse/node's middleware: the caller, or null when anonymous. */
      gatehouse?: GatehouseAuth | null;
    }
  }
}

export type GatehouseRequest = IncomingMessage & { gatehouse?: GatehouseAuth | null };
export type ExpressMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export function expressMiddleware(options: AuthenticateOptions): ExpressMiddleware {
  const authenticate = createAuthenticator(options);
  return (req, res, next) => {
    authenticate(req.headers).then((outcome) => {
      if (!outcome.ok) {
        res.writeHead(outcome.challenge.status, outcome.challenge.headers).end(outcome.challenge.body);
        return;
      }
      (req as GatehouseRequest).gatehouse = outcome.auth;
      next();
    }, next);
  };
}
