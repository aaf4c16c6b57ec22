// Locales the front-ends ship translations for (BCP 47 tags). Anything else is rejected
// rather than stored and silently ignored.
export const SUPPORTED_LOCALES = [
  'en', 'en-GB', 'en-US', 'fr', 'fr-FR', 'de', 'de-DE', 'es', 'es-ES', 'it', 'it-IT',
  'nl', 'nl-NL', 'pt', 'pt-PT', 'pt-BR', 'pl', 'pl-PL',
] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en-GB';
