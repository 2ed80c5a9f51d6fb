// The shapes of the ids we hand out. A lookup checks the shape first: anything else cannot name a
// row, so it is answered "not found" without a trip to the database (and hostile bytes — NUL,
// control characters, megabytes — never reach a query).

/** Users: crypto.randomUUID() (users/users.ts), lowercase as generated. */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Sessions, offline grants, pending logins, admin keys, signing keys: randomId(), 16 bytes hex. */
const HEX_ID = /^[0-9a-f]{32}$/;
/** Authorization flows, reset link tokens: randomToken(), 32 bytes base64url. */
const TOKEN_ID = /^[A-Za-z0-9_-]{43}$/;

export const isUserId = (value: unknown): value is string => typeof value === "string" && USER_ID.test(value);
export const isHexId = (value: unknown): value is string => typeof value === "string" && HEX_ID.test(value);
export const isFlowId = (value: unknown): value is string => typeof value === "string" && TOKEN_ID.test(value);
