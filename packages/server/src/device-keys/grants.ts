// The token grants signed by a device key, for the token endpoint's map (oauth/token/endpoint.ts).
import type { GrantHandler } from "../oauth/token/types.ts";
import { anonymousRequestGrant } from "./anonymous-grant.ts";
import { biometricRequestGrant } from "./biometric-grant.ts";
import { tokenExchangeGrant } from "./token-exchange-grant.ts";

export const deviceKeyGrants: GrantHandler[] = [anonymousRequestGrant, biometricRequestGrant, tokenExchangeGrant];
