// Config that switches passkeys on (Authgear's names), with the test server's cheap argon2
// parameters kept (this `authentication` section replaces the test server's own).
export const PASSKEYS_ON = {
  authentication: {
    identities: ["login_id", "passkey"],
    primary_authenticators: ["password", "passkey"],
    password_hash: { memory_kib: 8192, iterations: 1, parallelism: 1 },
  },
};
