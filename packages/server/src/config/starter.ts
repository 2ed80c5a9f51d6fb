// `gatehouse init` writes this commented starter config. Field names follow Authgear's authgear.yaml.
export const STARTER_CONFIG = `# Gatehouse configuration. Field names follow Authgear's authgear.yaml.
http:
  # The origin apps and browsers reach Gatehouse at; it is also the token issuer.
  public_origin: "http://localhost:3000"
  # host:port to listen on (PORT or --port override the port).
  listen: "0.0.0.0:3000"
  # Domain of the session cookie. Unset: the public host minus its first label
  # (identity.example.com -> example.com), never above the registrable domain.
  # cookie_domain: "example.com"

database:
  # sqlite:PATH (embedded, the default) or postgres://user@host:5432/db
  url: "sqlite:./data/gatehouse.db"

# With several nodes behind a load balancer, keep rate limits in a shared Redis so a limit of
# 10 per minute stays 10 per minute in total, and let nodes tell each other of revocations at
# once. Unset: each process keeps its own limits; revocations reach other nodes within 250 ms.
# redis:
#   url: "redis://127.0.0.1:6379"
#   key_prefix: "gatehouse:"

session:
  lifetime_seconds: 31449600      # 52 weeks
  idle_timeout_enabled: true
  idle_timeout_seconds: 2592000   # 30 days

oauth:
  clients:
    - client_id: "my-spa"
      name: "My SPA"
      x_application_type: spa       # spa | traditional_webapp | native | confidential | third_party_app
      redirect_uris:
        - "http://localhost:4000/after-authentication"
      post_logout_redirect_uris:
        - "http://localhost:4000/"
      access_token_lifetime_seconds: 1800        # min 300
      refresh_token_lifetime_seconds: 31449600
      refresh_token_idle_timeout_enabled: true
      refresh_token_idle_timeout_seconds: 2592000
      refresh_token_rotation_enabled: false
      # With rotation on: how long a rotated refresh token still works (concurrent refreshes converge
      # on one new token); presenting it later revokes the grant as a stolen token's reuse. 0: no grace.
      refresh_token_rotation_grace_period_seconds: 10
    # A server-side app on another domain authenticates with a secret:
    # - client_id: "my-backend"
    #   x_application_type: confidential
    #   client_secret: "at-least-16-characters-of-secret"
    #   redirect_uris: ["https://otherapp.example/callback"]
  # Requests to /oauth2/token per client IP (429 slow_down beyond it), and pending sign-ins
  # (GET /oauth2/authorize without a session) created per client IP.
  # rate_limits:
  #   token_per_ip: { enabled: true, period: "1m", burst: 120 }
  #   authorize_per_ip: { enabled: true, period: "1m", burst: 60 }

# Email for verification codes and password resets. Without an SMTP host, messages stay in a
# local outbox: \`gatehouse outbox --config FILE\` prints them (development).
messaging:
  # smtp:
  #   host: "smtp.example.com"
  #   port: 587            # 465 with secure: true
  #   secure: false        # STARTTLS is used when the server offers it
  #   user: "apikey"
  #   password: "..."
  #   from: "Example <no-reply@example.com>"
  dev_outbox_page: false   # true: /_dev/outbox lists the outbox (shows codes: never in production)

verification:
  required: false          # true: sign-up and login cannot finish until the email is verified

authentication:
  password_policy:
    min_length: 8
    # uppercase_required: false
    # lowercase_required: false
    # digit_required: false
    # symbol_required: false
    # excluded_keywords: ["example", "gatehouse"]
    # minimum_guessable_level: 0   # zxcvbn score 1-4 a password must reach; 0 = off
    # history_size: 0                # refuse the user's last N passwords; 0 = off
    # history_days: 0                # refuse passwords set in the last N days; 0 = off
    # x_exclude_common_passwords: true   # refuse the 10,000 most common passwords (Gatehouse's own field)
  lockout:
    max_attempts: 6                  # password, TOTP and recovery-code failures together
    history_duration_seconds: 300
    minimum_duration_seconds: 300    # the first lock; each further failure doubles it...
    maximum_duration_seconds: 3600   # ...up to this
    backoff_factor: 2
    lockout_type: per_user           # or per_user_per_ip
  # rate_limits:
  #   general:
  #     per_ip: { period: "1m", burst: 60 }          # failed credential checks per IP
  #     per_user_per_ip: { period: "1m", burst: 10 }
  #   signup:
  #     per_ip: { period: "1m", burst: 10 }
`;
