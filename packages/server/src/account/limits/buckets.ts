// The rate limits Gatehouse applies, by Authgear's names. Configurable ones come from the config;
// the rest are Authgear's fixed defaults.
import type { Config, RateLimitConfig } from "../../config/schema.ts";
import type { RateLimitSpec } from "./rate-limiter.ts";

const spec = (name: string, c: RateLimitConfig): RateLimitSpec => ({ name, enabled: c.enabled, burst: c.burst, period: c.period });
const fixed = (name: string, burst: number, period: number): RateLimitSpec => ({ name, enabled: true, burst, period });

export interface AccountLimits {
  credentialPerIp: RateLimitSpec;
  credentialPerUserPerIp: RateLimitSpec;
  signupPerIp: RateLimitSpec;
  verifyCodePerIp: RateLimitSpec;
  resetCodePerIp: RateLimitSpec;
  emailPerIp: RateLimitSpec;
  emailPerTarget: RateLimitSpec;
  tokenPerIp: RateLimitSpec;
  authorizeFlowPerIp: RateLimitSpec;
}

export function accountLimits(config: Config): AccountLimits {
  const r = config.authentication.rate_limits;
  return {
    credentialPerIp: spec("authentication.general.per_ip", r.general.per_ip),
    credentialPerUserPerIp: spec("authentication.general.per_user_per_ip", r.general.per_user_per_ip),
    signupPerIp: spec("authentication.signup.per_ip", r.signup.per_ip),
    verifyCodePerIp: fixed("verification.email.validate.per_ip", 60, 60),
    resetCodePerIp: fixed("forgot_password.email.validate.per_ip", 60, 60),
    // Mail bombing: Authgear's messaging.email limits.
    emailPerIp: fixed("messaging.email.per_ip", 200, 60),
    emailPerTarget: fixed("messaging.email.per_target", 50, 86400),
    tokenPerIp: spec("oauth.token.per_ip", config.oauth.rate_limits.token_per_ip),
    // Each pending sign-in is a stored row anyone can create: see oauth/authorize/flow.ts.
    authorizeFlowPerIp: spec("oauth.authorize.per_ip", config.oauth.rate_limits.authorize_per_ip),
  };
}

/** Cooldown between two emailed codes to the same address (Authgear's *.trigger.cooldown). */
export const RESEND_COOLDOWN_SECONDS = 60;
