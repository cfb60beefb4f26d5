import { describe, expect, it } from "vitest";
import { readPolicy } from "./readPolicy.ts";

describe("readPolicy", () => {
  it("reads the site's declared limits from the element first, then from the config", () => {
    const element = document.createElement("div");
    element.setAttribute("data-max-price", "2000");
    expect(readPolicy(element, { maxPrice: "1000", maxPaymentsPerMinute: 10, budgetPerReceiver: 5n })).toEqual({
      maxPrice: 2000n,
      maxPaymentsPerMinute: 10,
      budgetPerReceiver: 5n,
    });
    expect(readPolicy(undefined, undefined)).toEqual({
      maxPrice: undefined,
      maxPaymentsPerMinute: undefined,
      budgetPerReceiver: undefined,
    });
  });

  it("refuses a value that is not a whole number instead of lifting the limit", () => {
    const element = document.createElement("div");
    element.setAttribute("data-max-price", "0.001");
    expect(() => readPolicy(element, undefined)).toThrow(/maxPrice/);
    expect(() => readPolicy(undefined, { maxPaymentsPerMinute: "lots" })).toThrow(/maxPaymentsPerMinute/);
    expect(() => readPolicy(undefined, { maxPaymentsPerMinute: 0 })).toThrow(/maxPaymentsPerMinute/);
    expect(() => readPolicy(undefined, { budgetPerReceiver: "-1" })).toThrow(/budgetPerReceiver/);
  });
});
