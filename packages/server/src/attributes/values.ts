// One checker per kind of attribute value, shared by the standard and the custom attributes: each
// returns what is wrong in words ("must be YYYY-MM-DD"), or null.
import { isValidEmail } from "../identity/login-id/email.ts";
import { textProblem } from "../input/text.ts";

export type Check = (value: unknown) => string | null;

const MAX_LINE = 256;
const MAX_TEXT = 2048;

export const line: Check = (v) => {
  if (typeof v !== "string" || v.trim() === "") return "must be a non-empty string";
  if (v.length > MAX_LINE) return `must be at most ${MAX_LINE} characters`;
  return textProblem(v, "line");
};

const text: Check = (v) => {
  if (typeof v !== "string" || v.trim() === "") return "must be a non-empty string";
  if (v.length > MAX_TEXT) return `must be at most ${MAX_TEXT} characters`;
  return textProblem(v, "text");
};

export const url: Check = (v) => {
  if (typeof v !== "string" || v.length > MAX_TEXT) return "must be an absolute http(s) URL";
  try {
    const u = new URL(v);
    return u.protocol === "https:" || u.protocol === "http:" ? null : "must be an absolute http(s) URL";
  } catch {
    return "must be an absolute http(s) URL";
  }
};

export const email: Check = (v) => (typeof v === "string" && isValidEmail(v) ? null : "must be an email address");

// E.164: + and up to 15 digits, no leading zero in the country code (ITU-T E.164 §6).
export const phone: Check = (v) => (typeof v === "string" && /^\+[1-9][0-9]{6,14}$/.test(v) ? null : "must be a phone number in E.164 form, e.g. +85298765432");

// OIDC Core §5.1: YYYY-MM-DD, or YYYY alone, or 0000-MM-DD when the year is withheld.
export const birthdate: Check = (v) => {
  if (typeof v !== "string") return "must be YYYY-MM-DD";
  if (/^\d{4}$/.test(v)) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return "must be YYYY-MM-DD";
  const [y, mo, d] = [Number(m[1]) || 2000, Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? null : "must be a real date, YYYY-MM-DD";
};

const zones = new Set(Intl.supportedValuesOf("timeZone"));
export const zoneinfo: Check = (v) => (typeof v === "string" && (zones.has(v) || v === "UTC") ? null : "must be an IANA time zone, e.g. Asia/Hong_Kong");

export const locale: Check = (v) => {
  if (typeof v !== "string" || v.length > 35) return "must be a BCP 47 language tag, e.g. zh-HK";
  try {
    return Intl.getCanonicalLocales(v).length === 1 ? null : "must be a BCP 47 language tag, e.g. zh-HK";
  } catch {
    return "must be a BCP 47 language tag, e.g. zh-HK";
  }
};

const ADDRESS_FIELDS = new Set(["formatted", "street_address", "locality", "region", "postal_code", "country"]);
export const address: Check = (v) => {
  if (!v || typeof v !== "object" || Array.isArray(v)) return "must be an object of formatted, street_address, locality, region, postal_code, country";
  const entries = Object.entries(v);
  if (entries.length === 0) return "must have at least one field";
  for (const [k, field] of entries) {
    if (!ADDRESS_FIELDS.has(k)) return `has an unknown field ${JSON.stringify(k)}`;
    const problem = k === "formatted" || k === "street_address" ? text(field) : line(field);
    if (problem) return `${k} ${problem}`;
  }
  return null;
};

// ISO 3166-1 alpha-2, officially assigned codes.
const COUNTRIES = new Set((
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU " +
  "CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE " +
  "IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
  "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM " +
  "SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" "));
export const countryCode: Check = (v) => (typeof v === "string" && COUNTRIES.has(v) ? null : "must be an ISO 3166-1 alpha-2 country code, e.g. HK");

export const number = (o: { integer: boolean; minimum?: number; maximum?: number }): Check => (v) => {
  if (typeof v !== "number" || !Number.isFinite(v)) return o.integer ? "must be an integer" : "must be a number";
  if (o.integer && !Number.isSafeInteger(v)) return "must be an integer";
  if (o.minimum !== undefined && v < o.minimum) return `must be at least ${o.minimum}`;
  if (o.maximum !== undefined && v > o.maximum) return `must be at most ${o.maximum}`;
  return null;
};

export const oneOf = (values: string[]): Check => (v) => (typeof v === "string" && values.includes(v) ? null : `must be one of ${values.join(", ")}`);
