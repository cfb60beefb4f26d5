// The message catalog: the language follows the browser unless the site overrides it, and every language has
// every message.
import { describe, expect, it } from "vitest";
import { catalogs, chooseLocale } from "./catalogs.ts";

describe("chooseLocale", () => {
  it("takes the first browser language the widget speaks", () => {
    expect(chooseLocale(undefined, ["de-AT", "en-US"])).toBe("de");
    expect(chooseLocale(undefined, ["fr-FR", "de"])).toBe("de");
    expect(chooseLocale(undefined, ["fr-FR"])).toBe("en");
  });

  it("is overridden by the prop", () => {
    expect(chooseLocale("en", ["de-DE"])).toBe("en");
    expect(chooseLocale("de", ["en-US"])).toBe("de");
  });

  it("follows this browser's language by default", () => {
    expect(chooseLocale()).toBe(navigator.language.toLowerCase().startsWith("de") ? "de" : "en");
  });
});

describe("catalogs", () => {
  it("has every English message in German too", () => {
    const keys = (value: object): string[] =>
      Object.entries(value).flatMap(([key, entry]) =>
        typeof entry === "object" && entry !== null ? keys(entry).map((inner) => `${key}.${inner}`) : [key],
      );
    expect(keys(catalogs.de).sort()).toEqual(keys(catalogs.en).sort());
  });
});
