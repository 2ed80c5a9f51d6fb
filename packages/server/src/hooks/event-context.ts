// Authgear's event `context` (pkg/api/event/context.go): when, who, from where, through which client.
export type TriggeredBy = "user" | "admin_api" | "system" | "portal";

/** Where a change came from; each caller knows this much and passes it to emit. */
export interface EventOrigin {
  triggeredBy: TriggeredBy;
  ip?: string;
  userAgent?: string;
  clientId?: string;
  /** ui_locales / Accept-Language, most preferred first. */
  preferredLanguages?: string[];
  language?: string;
  oauthState?: string;
}

export const SYSTEM: EventOrigin = { triggeredBy: "system" };

export function eventContext(origin: EventOrigin, userId: string | null, nowMs: number): Record<string, unknown> {
  return {
    timestamp: Math.floor(nowMs / 1000),
    user_id: userId,
    triggered_by: origin.triggeredBy,
    audit_context: {},
    preferred_languages: origin.preferredLanguages ?? [],
    language: origin.language ?? origin.preferredLanguages?.[0] ?? "en",
    geo_location_code: null,
    ...(origin.oauthState ? { oauth: { state: origin.oauthState } } : {}),
    ...(origin.ip ? { ip_address: origin.ip } : {}),
    ...(origin.userAgent ? { user_agent: origin.userAgent } : {}),
    ...(origin.clientId ? { client_id: origin.clientId } : {}),
  };
}
