// /.well-known/openid-configuration and /.well-known/oauth-authorization-server (RFC 8414).
import { SUPPORTED_SCOPES } from "./scopes.ts";
import { supportedGrantTypes } from "./token/endpoint.ts";

export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth2/authorize`,
    token_endpoint: `${issuer}/oauth2/token`,
    userinfo_endpoint: `${issuer}/oauth2/userinfo`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    end_session_endpoint: `${issuer}/oauth2/end_session`,
    jwks_uri: `${issuer}/oauth2/jwks`,
    scopes_supported: [...SUPPORTED_SCOPES],
    response_types_supported: ["code", "none"],
    response_modes_supported: ["query"],
    grant_types_supported: supportedGrantTypes,
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["none", "client_secret_post", "client_secret_basic"],
    revocation_endpoint_auth_methods_supported: ["none"],
    code_challenge_methods_supported: ["S256"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "amr", "sid", "nonce", "email", "email_verified", "updated_at",
      "phone_number", "phone_number_verified", "preferred_username",
      "https://authgear.com/claims/user/is_anonymous", "https://authgear.com/claims/user/is_verified",
      "https://authgear.com/claims/user/can_reauthenticate", "https://authgear.com/claims/user/roles",
      "https://authgear.com/claims/user/identities", "https://authgear.com/claims/user/authenticators",
      "https://authgear.com/claims/user/recovery_code_enabled"],
    prompt_values_supported: ["none", "login", "consent", "select_account"],
    authorization_response_iss_parameter_supported: true,
    frontchannel_logout_supported: false,
    ui_locales_supported: ["en"],
  };
}
