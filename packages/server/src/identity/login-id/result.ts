// What a login-ID module answers: the normalised value (what uniqueness and look-ups use) and the
// value as typed, or why it is refused (a message-catalogue key under `login_id.error.*`).

export type LoginIdRefusal =
  | "required" | "too_long" | "invalid_email" | "plus_sign" | "invalid_username" | "reserved_username"
  | "mixed_script" | "invalid_phone" | "phone_region";

export type Normalised = { ok: true; loginId: string; original: string } | { ok: false; reason: LoginIdRefusal };
