// The limits on codes and links, by Authgear's names (authentication.rate_limits.oob_otp.<channel>.*).
import type { Config } from "../../config/schema.ts";
import type { OobChannel } from "../../storage/oob-ports.ts";
import type { RateLimitSpec } from "../limits/rate-limiter.ts";

export interface OobLimits {
  triggerPerIp: RateLimitSpec;
  triggerPerTarget: RateLimitSpec;
  validatePerIp: RateLimitSpec;
  cooldown: number;
  maxFailures: number;
}

export function oobLimits(config: Config, channel: OobChannel): OobLimits {
  const c = config.authentication.rate_limits.oob_otp[channel];
  const name = (n: string): string => `authentication.rate_limits.oob_otp.${channel}.${n}`;
  const spec = (n: string, l: { enabled: boolean; burst: number; period: number }): RateLimitSpec => ({ name: name(n), ...l });
  return {
    triggerPerIp: spec("trigger_per_ip", c.trigger_per_ip),
    triggerPerTarget: spec("trigger_per_user", c.trigger_per_user),
    validatePerIp: spec("validate_per_ip", c.validate_per_ip),
    cooldown: c.trigger_cooldown,
    maxFailures: c.max_failed_attempts_revoke_otp,
  };
}
