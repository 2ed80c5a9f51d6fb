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
    # A server-side app on another domain authenticates with a secret:
    # - client_id: "my-backend"
    #   x_application_type: confidential
    #   client_secret: "at-least-16-characters-of-secret"
    #   redirect_uris: ["https://otherapp.example/callback"]
`;
