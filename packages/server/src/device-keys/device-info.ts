// The device model in the SDKs' device_info (authgear-sdk-js authgear-react-native/src/types.ts
// DeviceInfo), as Authgear's deviceinfo.DeviceModel reads it: Android Build.MODEL (after its
// manufacturer), iOS uname.machine. Setup refuses a device that names no model.
const record = (v: unknown): Record<string, unknown> | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const text = (v: unknown): string => (typeof v === "string" ? v.slice(0, 100) : "");

export function deviceModel(info: Record<string, unknown>): string {
  const build = record(record(info.android)?.Build);
  if (build) return text(build.MODEL) === "" ? "" : `${text(build.MANUFACTURER)} ${text(build.MODEL)}`.trim();
  const ios = record(info.ios);
  if (ios) return text(record(ios.uname)?.machine) || text(record(ios.UIDevice)?.model);
  return "";
}

/** What is kept of device_info: bounded, so a device cannot store megabytes in the key's row. */
export function storableDeviceInfo(info: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(info);
  return json.length <= 4096 ? info : { model: deviceModel(info) };
}
