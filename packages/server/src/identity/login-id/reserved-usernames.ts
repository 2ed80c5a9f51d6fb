// Names nobody may sign up with when `block_reserved_usernames` is on (Authgear's default): names
// that look like the service, its staff or its machinery. Compared after normalisation, whole name.
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  "abuse", "account", "accounts", "admin", "administrator", "administrators", "anonymous", "api", "app", "apps", "auth",
  "authgear", "billing", "blog", "bot", "contact", "dashboard", "dev", "developer", "developers", "docs", "email",
  "everyone", "ftp", "gatehouse", "guest", "help", "helpdesk", "home", "hostmaster", "imap", "info", "it", "legal",
  "login", "logout", "mail", "mailer-daemon", "marketing", "me", "moderator", "news", "no-reply", "noc", "noreply",
  "null", "oauth", "official", "operator", "owner", "password", "pop", "pop3", "portal", "postmaster", "privacy",
  "root", "sales", "security", "settings", "signin", "signup", "smtp", "staff", "status", "superuser", "support",
  "sys", "sysadmin", "system", "team", "test", "undefined", "user", "users", "webmaster", "www",
]);
