// The settings page: email status, ways to sign in, password, two-step verification, recovery codes, sessions.
import type { Identity } from "../../domain/identity.ts";
import { identitiesSection } from "./identities-section.ts";
import { escapeHtml } from "../../http/html.ts";
import type { PasswordPolicy } from "../policy/password-policy.ts";
import { policyHelp } from "../policy/describe.ts";
import { accountPage, errorBox, field, form, hidden, noticeBox } from "../ui/layout.ts";
import type { Ui } from "../ui/respond.ts";
import { passwordToggle } from "../ui/reveal.ts";
import { endsElsewhere, type UserSession } from "../../session/user-sessions.ts";

export type SettingsSection = "password" | "mfa" | "recovery" | "sessions" | "oauth" | "biometric";

export interface SettingsView {
  csrf: string;
  /** What the account is called (identity/service.ts accountLabel): the email, else the first login ID. */
  account: string;
  /** Null for a phone- or username-only user: no email section. */
  email: string | null;
  verified: boolean;
  totpOn: boolean;
  recoveryLeft: number;
  sessions: UserSession[];
  notice: string | null;
  errors: Partial<Record<SettingsSection, string>>;
  policy: PasswordPolicy;
  identities: Identity[];
  /** The connected (social) accounts section, rendered by sso/pages.ts; empty without providers or OAuth identities. */
  connected: string;
}

const when = (ui: Ui, seconds: number): string =>
  new Intl.DateTimeFormat(ui.locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(seconds * 1000)) + " UTC";

function sessionRow(ui: Ui, csrf: string, s: UserSession): string {
  const { t } = ui;
  const what = s.kind === "idp_session" ? `${t("settings.sessions.browser")} · ${s.device}` : `${t("settings.sessions.app", { client: s.clientName ?? "" })} · ${s.device}`;
  const details = t("settings.sessions.details", { created: when(ui, s.createdAt), last: when(ui, s.lastAccessedAt), ip: s.ip || "?" });
  const badge = s.current ? ` <span class="status ok">${escapeHtml(t("settings.sessions.this_device"))}</span>` : "";
  const revoke = form("/settings/sessions/revoke", `${hidden("csrf", csrf)}${hidden("kind", s.kind)}${hidden("id", s.id)}<button type="submit" class="secondary" aria-label="${escapeHtml(t("settings.sessions.revoke_label", { what }))}">${escapeHtml(t("settings.sessions.revoke"))}</button>`, { className: "inline" });
  return `<li><div><strong>${escapeHtml(what)}</strong>${badge}<br><span class="muted">${escapeHtml(details)}</span></div>${revoke}</li>`;
}

/** A form tucked behind its summary, open when its section has something to say. */
const disclose = (summary: string, inner: string, open: boolean): string =>
  `<details${open ? " open" : ""}><summary>${escapeHtml(summary)}</summary>\n${inner}\n</details>`;

export function settingsPage(ui: Ui, v: SettingsView): string {
  const { t } = ui;
  const csrf = hidden("csrf", v.csrf);
  const status = v.verified
    ? `<span class="status ok">${escapeHtml(t("settings.email.verified"))}</span>`
    : `<span class="status warn">${escapeHtml(t("settings.email.unverified"))}</span>`;
  const verify = v.verified ? "" : form("/settings/verify", `${csrf}<button type="submit" class="secondary">${escapeHtml(t("settings.email.verify"))}</button>`, { className: "inline" });
  const password = disclose(t("settings.password.submit"), form("/settings/password", [
    csrf,
    hidden("username", v.account).replace('type="hidden"', 'type="hidden" autocomplete="username"'),
    field({ id: "current", type: "password", label: t("form.current_password"), autocomplete: "current-password", maxlength: 256 }),
    passwordToggle(t, "current"),
    field({ id: "new_password", type: "password", label: t("form.new_password"), autocomplete: "new-password", maxlength: 256, describedBy: "policy-help" }),
    passwordToggle(t, "new_password"),
    policyHelp(t, v.policy, "policy-help"),
    field({ id: "confirm", type: "password", label: t("form.confirm_password"), autocomplete: "new-password", maxlength: 256 }),
    passwordToggle(t, "confirm"),
    `<button type="submit">${escapeHtml(t("settings.password.submit"))}</button>`,
  ].join("\n")), Boolean(v.errors.password));
  const mfa = v.totpOn
    ? `<p>${escapeHtml(t("settings.mfa.on"))}</p>
${disclose(t("settings.mfa.disable"), form("/settings/totp/disable", `${csrf}\n<p class="muted" id="disable-help">${escapeHtml(t("settings.mfa.disable_help"))}</p>\n${field({ id: "proof", type: "password", label: t("settings.mfa.password_or_code"), autocomplete: "current-password", maxlength: 256, describedBy: "disable-help" })}\n<button type="submit" class="danger">${escapeHtml(t("settings.mfa.disable"))}</button>`), Boolean(v.errors.mfa))}`
    : `<p>${escapeHtml(t("settings.mfa.off"))}</p>\n<p><a href="/settings/totp">${escapeHtml(t("settings.mfa.enable"))}</a></p>`;
  const recovery = v.totpOn
    ? `<section aria-labelledby="recovery-heading"><h2 id="recovery-heading">${escapeHtml(t("settings.recovery.heading"))}</h2>
${errorBox(v.errors.recovery ?? null, "recovery-error")}
<p>${escapeHtml(t("settings.recovery.remaining", { count: v.recoveryLeft }))}</p>
${disclose(t("settings.recovery.regenerate"), form("/settings/recovery-codes", `${csrf}\n<p class="muted" id="regen-help">${escapeHtml(t("settings.recovery.regenerate_help"))}</p>\n${field({ id: "regen_code", name: "code", label: t("totp_login.label"), autocomplete: "one-time-code", maxlength: 6, inputmode: "numeric", pattern: "[0-9]{6}", describedBy: "regen-help" })}\n<button type="submit" class="secondary">${escapeHtml(t("settings.recovery.regenerate"))}</button>`), Boolean(v.errors.recovery))}
</section>`
    : "";
  const current = v.sessions.find((s) => s.current && s.kind === "idp_session")?.id ?? null;
  const others = v.sessions.some((s) => endsElsewhere(s, current))
    ? form("/settings/sessions/revoke-others", `${hidden("csrf", v.csrf)}<button type="submit" class="secondary">${escapeHtml(t("settings.sessions.revoke_others"))}</button>`)
    : "";
  const sessions = v.sessions.length ? `<ul class="sessions">${v.sessions.map((s) => sessionRow(ui, v.csrf, s)).join("\n")}</ul>\n${others}` : `<p>${escapeHtml(t("settings.sessions.none"))}</p>`;
  return accountPage({
    ...ui,
    wide: true,
    title: t("settings.title"),
    body: `<div class="row"><h1>${escapeHtml(t("settings.heading"))}</h1><a href="/oauth2/end_session">${escapeHtml(t("settings.sign_out"))}</a></div>
<p class="muted">${escapeHtml(t("settings.signed_in_as", { email: v.account }))}</p>
<p><a href="/settings/profile">${escapeHtml(t("profile.link"))}</a></p>
${noticeBox(v.notice)}
${v.email === null ? "" : `<section aria-labelledby="email-heading"><h2 id="email-heading">${escapeHtml(t("settings.email.heading"))}</h2>
<div class="row"><span>${escapeHtml(v.email)} ${status}</span>${verify}</div></section>`}
${identitiesSection(ui, v.connected ? v.identities.filter((i) => i.type !== "oauth") : v.identities, v.email !== null)}
${v.connected}
<section aria-labelledby="password-heading"><h2 id="password-heading">${escapeHtml(t("settings.password.heading"))}</h2>
${errorBox(v.errors.password ?? null, "password-error")}
${password}</section>
<section aria-labelledby="mfa-heading"><h2 id="mfa-heading">${escapeHtml(t("settings.mfa.heading"))}</h2>
${errorBox(v.errors.mfa ?? null, "mfa-error")}
${mfa}</section>
${recovery}
<section aria-labelledby="sessions-heading"><h2 id="sessions-heading">${escapeHtml(t("settings.sessions.heading"))}</h2>
${errorBox(v.errors.sessions ?? null, "sessions-error")}
${sessions}</section>`,
  });
}
