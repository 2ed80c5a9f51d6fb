// The device-key endpoints for the edge's route table (edge/routes.ts).
import type { Context } from "../context.ts";
import type { Route } from "../edge/types.ts";
import { challengeEndpoint } from "./challenge-endpoint.ts";
import { anonymousSignupEndpoint, promotionCodeEndpoint } from "./anonymous-api.ts";

export function deviceKeyRoutes(ctx: Context): Route[] {
  return [
    { path: "/oauth2/challenge", methods: ["POST"], handler: challengeEndpoint(ctx), errors: "json", cors: true, body: true },
    { path: "/api/anonymous_user/signup", methods: ["POST"], handler: anonymousSignupEndpoint(ctx), errors: "json", cors: true, body: true },
    { path: "/api/anonymous_user/promotion_code", methods: ["POST"], handler: promotionCodeEndpoint(ctx), errors: "json", cors: true, body: true },
  ];
}
