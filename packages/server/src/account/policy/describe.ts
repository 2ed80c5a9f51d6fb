// The password policy in words, for the pages: the list of requirements and the error message.
import { escapeHtml } from "../../http/html.ts";
import { translator, type Translate } from "../messages/index.ts";
import { MAX_PASSWORD_LENGTH, activeRules, type PasswordPolicy, type PasswordRule } from "./password-policy.ts";

export function ruleText(t: Translate, rule: PasswordRule, policy: PasswordPolicy): string {
  switch (rule) {
    case "min_length": return t("policy.min_length", { min: policy.min_length });
    case "max_length": return t("policy.max_length", { max: MAX_PASSWORD_LENGTH });
    case "uppercase": return t("policy.uppercase");
    case "lowercase": return t("policy.lowercase");
    case "digit": return t("policy.digit");
    case "symbol": return t("policy.symbol");
    case "excluded_keywords": return t("policy.excluded_keywords");
    case "common": return t("policy.common");
    case "guessable": return t("policy.guessable");
    case "history":
      if (policy.history_size > 0 && policy.history_days > 0) return t("policy.history_both", { size: policy.history_size, days: policy.history_days });
      return policy.history_size > 0 ? t("policy.history_size", { size: policy.history_size }) : t("policy.history_days", { days: policy.history_days });
  }
}

/** The broken rules in plain English, for operators (admin API, CLI): "be at least 12 characters long; include a digit". */
export function violationsInWords(rules: PasswordRule[], policy: PasswordPolicy): string {
  const t = translator();
  return rules.map((r) => ruleText(t, r, policy)).join("; ");
}

export function policyError(t: Translate, rules: PasswordRule[], policy: PasswordPolicy): string {
  return t("policy.error", { rules: rules.map((r) => ruleText(t, r, policy)).join("; ") });
}

/** The requirements as a list under the password field (its aria-describedby target). */
export function policyHelp(t: Translate, policy: PasswordPolicy, id: string): string {
  const items = activeRules(policy).map((r) => `<li>${escapeHtml(ruleText(t, r, policy))}</li>`).join("");
  return `<div id="${id}" class="muted">${escapeHtml(t("policy.heading"))}<ul class="rules">${items}</ul></div>`;
}
