// urn:authgear:params:oauth:grant-type:biometric-request (authgear-sdk-js authgear-react-native/src/
// index.ts enableBiometric L1045-1080 and authenticateBiometric L1091-1140). `action` in the JWT picks:
//  - setup: a Bearer access token names the user; the device's key is bound to them → 200 {}.
//  - authenticate: the bound key signs in its user → tokens, amr x_biometric.
// Errors as Authgear's handleBiometricRequest (pkg/lib/oauth/handler/handler_token.go).
import { emitBiometricEvent } from "./identity-events.ts";
import type { DeviceKey } from "../storage/device-key-ports.ts";
import { randomUUID } from "node:crypto";
import type { Context } from "../context.ts";
import { OAuthError } from "../oauth/errors.ts";
import { FULL_ACCESS_SCOPE, SUPPORTED_SCOPES, checkClientScopes, parseScope } from "../oauth/scopes.ts";
import { authenticateClient } from "../oauth/token/client-auth.ts";
import type { GrantHandler, TokenRequest, TokenResponse } from "../oauth/token/types.ts";
import type { Client } from "../oauth/clients.ts";
import { callerFromBearer } from "../session/caller.ts";
import { consumeChallenge } from "./challenges.ts";
import { deviceModel, storableDeviceInfo } from "./device-info.ts";
import { hasFullAccess, invalidCredentials, issueDeviceKeyTokens } from "./grant-tokens.ts";
import { DeviceKeyJwtError, parseDeviceKeyJwt, storableJwk, verifyDeviceKeyJwt, type DeviceKeyRequest } from "./jwt.ts";

export const BIOMETRIC_AMR = "x_biometric";

function parse(ctx: Context, jwt: string): DeviceKeyRequest {
  try {
    return parseDeviceKeyJwt(jwt, "biometric", ctx.now());
  } catch (err) {
    if (err instanceof DeviceKeyJwtError) throw invalidCredentials();
    throw err;
  }
}

async function verify(jwt: string, request: DeviceKeyRequest, key: Parameters<typeof verifyDeviceKeyJwt>[2]): Promise<void> {
  try {
    await verifyDeviceKeyJwt(jwt, request, key);
  } catch (err) {
    if (err instanceof DeviceKeyJwtError) throw invalidCredentials();
    throw err;
  }
}

async function setup(ctx: Context, client: Client, request: TokenRequest, jwt: string, parsed: DeviceKeyRequest): Promise<TokenResponse> {
  const bearer = /^Bearer ([^\s]+)$/i.exec(request.authorization ?? "");
  const caller = bearer ? await callerFromBearer(ctx, bearer[1], undefined, request.dpop) : null;
  if (!caller?.ok) throw new OAuthError("invalid_grant", "biometric setup requires authenticated user", { status: 401 });
  if (caller.caller.clientId !== client.client_id) throw new OAuthError("invalid_grant", "the access token was issued to another client", { status: 401 });
  if (caller.caller.user.isAnonymous) throw new OAuthError("unauthorized_client", "AnonymousUserAddIdentity");
  if (!parsed.inlineKey || deviceModel(parsed.deviceInfo) === "") throw invalidCredentials();
  await verify(jwt, parsed, parsed.inlineKey);
  if (!(await consumeChallenge(ctx, parsed.challenge, "biometric_request"))) throw invalidCredentials();
  const now = ctx.now();
  const key: DeviceKey = {
    id: randomUUID(), userId: caller.caller.user.id, type: "biometric", keyId: parsed.keyId, jwk: storableJwk(parsed.inlineKey, parsed.keyId),
    deviceInfo: storableDeviceInfo(parsed.deviceInfo), createdAt: now, lastUsedAt: now,
  };
  const bound = await ctx.storage.atomic(async () => {
    const stored = await ctx.storage.deviceKeys.create(key);
    if (stored) await emitBiometricEvent(ctx, "enabled", caller.caller.user, key, { triggeredBy: "user", ip: request.client.ip, userAgent: request.client.userAgent, clientId: client.client_id });
    return stored;
  });
  // A kid already bound (to this user or another) is not rebound: the SDK makes a new UUID per setup.
  if (!bound) throw invalidCredentials();
  return {};
}

async function authenticate(ctx: Context, client: Client, request: TokenRequest, jwt: string, parsed: DeviceKeyRequest): Promise<TokenResponse> {
  const key = await ctx.storage.deviceKeys.findByKeyId("biometric", parsed.keyId);
  if (!key?.jwk) throw invalidCredentials();
  await verify(jwt, parsed, key.jwk);
  if (!(await consumeChallenge(ctx, parsed.challenge, "biometric_request"))) throw invalidCredentials();
  const user = await ctx.storage.users.get(key.userId);
  if (!user || user.disabled) throw invalidCredentials();

  let scopes = ["openid", "offline_access", FULL_ACCESS_SCOPE];
  if (request.params.scope !== undefined && request.params.scope !== "") {
    const requested = parseScope(request.params.scope);
    const unknown = requested.find((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s));
    if (unknown) throw new OAuthError("invalid_scope", `specified scope is not allowed: ${unknown.slice(0, 100)}`);
    if (!requested.includes("openid")) throw new OAuthError("invalid_scope", "must request 'openid' scope");
    checkClientScopes(client, requested);
    scopes = requested;
  }
  if (!scopes.includes("offline_access") || !scopes.includes(FULL_ACCESS_SCOPE)) throw new OAuthError("invalid_scope", "offline_access and full-access must be requested");
  await ctx.storage.deviceKeys.touch(key.id, ctx.now());
  return issueDeviceKeyTokens(ctx, client, user, request, { scopes, amr: [BIOMETRIC_AMR] });
}

export const biometricRequestGrant: GrantHandler = {
  grantType: "urn:authgear:params:oauth:grant-type:biometric-request",
  async handle(ctx, request) {
    // Setup sends its access token as Bearer: the client is named by client_id alone.
    const client = authenticateClient(ctx, { ...request, authorization: undefined });
    const jwt = request.params.jwt;
    if (!jwt) throw new OAuthError("invalid_request", "jwt is required");
    if (!hasFullAccess(client)) throw new OAuthError("unauthorized_client", "this client may not use biometric authentication");
    if (!ctx.config.authentication.identities.includes("biometric")) throw new OAuthError("unauthorized_client", "BiometricDisallowed");
    const parsed = parse(ctx, jwt);
    if (parsed.action === "setup") return setup(ctx, client, request, jwt, parsed);
    if (parsed.action === "authenticate") return authenticate(ctx, client, request, jwt, parsed);
    throw new OAuthError("invalid_request", `invalid action: ${parsed.action.slice(0, 50)}`);
  },
};
