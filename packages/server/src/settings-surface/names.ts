// Authgear's names for settings actions (pkg/lib/oauth/handler/handler_authz.go, grant_type.go,
// pkg/lib/settingsaction; authgear-sdk-js core/types.ts SettingsAction). No imports: the
// authorization request's validation reads these without pulling the feature in.

export const SETTINGS_ACTION_RESPONSE_TYPE = "urn:authgear:params:oauth:response-type:settings-action";
export const SETTINGS_ACTION_GRANT_TYPE = "urn:authgear:params:oauth:grant-type:settings-action";

/** Every x_settings_action value the SDKs send. */
export const SETTINGS_ACTIONS = [
  "change_password", "delete_account", "add_email", "add_phone", "add_username",
  "change_email", "change_phone", "change_username", "link_oauth", "unlink_oauth",
] as const;

/** The query parameter naming the pending action on its page (Authgear's x_settings_action_id). */
export const SETTINGS_ACTION_ID_PARAM = "x_settings_action_id";
