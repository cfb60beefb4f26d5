import { de } from "./de.ts";
import { en, type Messages } from "./en.ts";

/** Every language the widget speaks; English is complete, the others follow its type. */
export const catalogs = { en, de } satisfies Record<string, Messages>;

export type Locale = keyof typeof catalogs;

/** The reader's language: `override` when given, else the first of the browser's languages the widget speaks. */
export function chooseLocale(override?: Locale | undefined, languages: readonly string[] = browserLanguages()): Locale {
  if (override) return override;
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0];
    if (base && Object.hasOwn(catalogs, base)) return base as Locale;
  }
  return "en";
}

function browserLanguages(): readonly string[] {
  // A server render has no reader's browser to ask: Node's own `navigator` speaks the server machine's language.
  if (typeof window === "undefined" || typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}
