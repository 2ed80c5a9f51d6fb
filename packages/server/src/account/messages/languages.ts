// The languages we ship a catalogue for, as BCP 47 tags (Authgear's spelling: zh-CN, zh-TW, zh-HK, pt-BR).
// Kept apart from the catalogues so the config schema can name them without loading every string.
export const BUILT_IN_LANGUAGES = ["en", "zh-CN", "zh-TW", "zh-HK", "ja", "ko", "es", "fr", "de", "pt", "pt-BR", "ar"] as const;
export type LanguageTag = (typeof BUILT_IN_LANGUAGES)[number];
