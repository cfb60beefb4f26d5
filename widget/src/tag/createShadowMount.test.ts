// The widget lives in a shadow root: the content site's CSS does not restyle it, and its CSS does not restyle the site.
import { afterEach, describe, expect, it } from "vitest";
import { createShadowMount } from "./createShadowMount.ts";

afterEach(() => {
  for (const style of document.head.querySelectorAll("style[data-test]")) style.remove();
  document.body.replaceChildren();
});

function pageStyle(css: string) {
  const style = document.createElement("style");
  style.dataset.test = "";
  style.textContent = css;
  document.head.append(style);
}

describe("createShadowMount", () => {
  it("a site's styles, inherited or selected, do not reach the widget", () => {
    pageStyle(`
      body { color: rgb(255, 0, 0); font-family: serif; font-size: 40px; text-align: right; letter-spacing: 5px; }
      p, .micro-raiden, button { color: rgb(0, 0, 255) !important; background: rgb(255, 255, 0) !important; }
      * { text-transform: uppercase; }
    `);
    const host = document.createElement("section");
    document.body.append(host);
    const { container } = createShadowMount(host);
    const panel = document.createElement("section");
    panel.className = "mr-panel";
    const text = document.createElement("p");
    text.textContent = "The price";
    panel.append(text);
    container.append(panel);

    const style = getComputedStyle(text);
    expect(style.color).not.toBe("rgb(255, 0, 0)");
    expect(style.color).not.toBe("rgb(0, 0, 255)");
    expect(style.backgroundColor).toBe("rgba(0, 0, 0, 0)");
    expect(style.fontSize).toBe("16px");
    expect(style.textAlign).not.toBe("right");
    expect(style.letterSpacing).toBe("normal");
    expect(style.textTransform).toBe("none");
  });

  it("a paid fragment outside the panels reads in the site's typography, but no site selector reaches it", () => {
    pageStyle(`body { font-family: serif; color: rgb(10, 20, 30); } p { margin: 77px; }`);
    const host = document.createElement("div");
    document.body.append(host);
    const { container } = createShadowMount(host);
    const paragraph = document.createElement("p");
    container.append(paragraph);
    const style = getComputedStyle(paragraph);
    expect(style.fontFamily).toBe("serif");
    expect(style.color).toBe("rgb(10, 20, 30)");
    expect(style.marginTop).not.toBe("77px");
  });

  it("the widget's styles do not reach the site", () => {
    const outside = document.createElement("p");
    outside.textContent = "The site's own paragraph";
    const host = document.createElement("section");
    document.body.append(outside, host);
    const before = getComputedStyle(outside).color;
    const { shadowRoot, container } = createShadowMount(host);
    const style = document.createElement("style");
    style.textContent = "p { color: rgb(0, 128, 0) !important; } :root, body { background: rgb(0, 128, 0); }";
    shadowRoot.append(style);
    const inside = document.createElement("p");
    container.append(inside);

    expect(getComputedStyle(inside).color).toBe("rgb(0, 128, 0)");
    expect(getComputedStyle(outside).color).toBe(before);
    expect(getComputedStyle(document.body).backgroundColor).toBe("rgba(0, 0, 0, 0)");
  });

  it("keeps the host's fallback content in the light DOM and mounts again in the same shadow root", () => {
    const host = document.createElement("section");
    host.innerHTML = "<p>Loading the paywall…</p>";
    document.body.append(host);
    const first = createShadowMount(host);
    const second = createShadowMount(host);
    expect(second.shadowRoot).toBe(first.shadowRoot);
    expect(first.shadowRoot.querySelectorAll(".micro-raiden")).toHaveLength(1);
    expect(host.querySelector("p")?.textContent).toBe("Loading the paywall…");
  });
});
