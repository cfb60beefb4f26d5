// The widget's stylesheet, shipped as a string and rendered in a <style> inside each root, so it works the same in
// a page and inside the script tag's shadow root. Class names carry the `mr-` prefix; colors meet WCAG AA (4.5:1
// for text) on the panel's background; motion stops for readers who ask for less.
import { channelStatusBarHeight } from "@micro-raiden/web-client/protocol";

export const widgetCss = `
.mr-panel {
  --mr-fg: #1b1f24; --mr-muted: #4a5360; --mr-bg: #ffffff; --mr-border: #c4ccd6;
  --mr-accent: #0b5cad; --mr-accent-fg: #ffffff; --mr-error: #a3161b; --mr-ok: #1a6b34;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--mr-fg); background: var(--mr-bg); border: 1px solid var(--mr-border); border-radius: 8px;
  padding: 1rem 1.25rem; max-width: 36rem; box-sizing: border-box;
}
@media (prefers-color-scheme: dark) {
  .mr-panel {
    --mr-fg: #e8ecf1; --mr-muted: #b4bdc8; --mr-bg: #16191d; --mr-border: #4a5360;
    --mr-accent: #8cc4ff; --mr-accent-fg: #0d1117; --mr-error: #ff9b9b; --mr-ok: #8fe0a8;
  }
}
.mr-panel *, .mr-panel *::before, .mr-panel *::after { box-sizing: inherit; }
.mr-panel h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
.mr-panel p { margin: .5rem 0; }
.mr-muted { color: var(--mr-muted); }
.mr-price { font-size: 1.1rem; font-weight: 600; }
.mr-step { margin-top: .75rem; }
/* A new step takes focus from script (useFocusOnChange), so a keyboard user goes on from there; the step is no
   control (tabindex -1, never reached by Tab) and gets no ring around the whole form, even when Chromium counts
   that focus as visible (after a key press, or with no input at all as a wallet reconnects). Controls keep theirs. */
.mr-step:focus, .mr-step:focus-visible { outline: none; }
.mr-actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; list-style: none; padding: 0; }
.mr-button {
  font: inherit; cursor: pointer; border-radius: 6px; padding: .45rem .9rem; min-height: 2.5rem;
  border: 1px solid var(--mr-accent); background: var(--mr-accent); color: var(--mr-accent-fg);
  transition: filter .15s ease-in-out;
}
.mr-button:hover { filter: brightness(1.1); }
.mr-button:focus-visible { outline: 3px solid var(--mr-fg); outline-offset: 2px; }
.mr-button[disabled] { cursor: not-allowed; opacity: .6; }
.mr-button-secondary { background: transparent; color: var(--mr-accent); }
.mr-field { display: flex; flex-direction: column; gap: .25rem; margin: .5rem 0; }
.mr-field input {
  font: inherit; padding: .4rem .5rem; border: 1px solid var(--mr-muted); border-radius: 6px; max-width: 14rem;
  color: var(--mr-fg); background: var(--mr-bg);
}
.mr-field input:focus-visible { outline: 2px solid var(--mr-accent); outline-offset: 1px; }
.mr-field input[aria-invalid="true"] { border-color: var(--mr-error); }
.mr-panel fieldset { border: 1px solid var(--mr-border); border-radius: 6px; margin: .5rem 0; padding: .5rem .75rem; }
.mr-panel legend { padding: 0 .25rem; }
.mr-panel label { cursor: pointer; }
.mr-error { color: var(--mr-error); }
.mr-ok { color: var(--mr-ok); }
.mr-hash { font-family: ui-monospace, monospace; word-break: break-all; }
.mr-progress { width: 100%; max-width: 20rem; height: .75rem; }
.mr-figures { display: grid; grid-template-columns: repeat(3, auto); gap: .25rem 1rem; margin: .5rem 0; }
/* One group (term and value) a column, across the list's two rows: terms in one row, values in the next. */
.mr-figures > div { display: grid; grid-row: span 2; grid-template-rows: subgrid; }
.mr-figures dt { color: var(--mr-muted); font-size: .875rem; }
.mr-figures dd { margin: 0; font-weight: 600; }
.mr-bar { height: .5rem; background: var(--mr-border); border-radius: 4px; overflow: hidden; }
.mr-bar > span { display: block; height: 100%; background: var(--mr-accent); transition: width .3s ease-out; }
.mr-panel details { margin-top: .25rem; }
.mr-panel pre { white-space: pre-wrap; font-size: .85rem; }
/* As tall as the receiver's paid page reserves for it, in every state: nothing below moves as it loads. */
.mr-status-bar {
  min-height: ${channelStatusBarHeight}; max-width: none; padding: .5rem 1rem; border-radius: 0; border-width: 0 0 1px;
  display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1.25rem;
}
/* The figures name themselves in a bar; the heading stays for assistive technology, which lists the region by it. */
.mr-status-bar h2 {
  position: absolute; width: 1px; height: 1px; margin: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap;
}
.mr-status-bar > .mr-step { margin: 0; flex: 1 1 20rem; }
.mr-status-bar > [role="status"]:empty { display: none; }
.mr-status-bar .mr-open { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1.5rem; }
.mr-status-bar .mr-figures { margin: 0; gap: 0 1.25rem; }
.mr-status-bar .mr-figures dt { font-size: .8rem; }
.mr-status-bar .mr-left { flex: 1 1 16rem; }
.mr-status-bar .mr-left p, .mr-status-bar .mr-step > p { margin: 0; }
.mr-status-bar .mr-bar { height: .375rem; margin-bottom: .25rem; }
.mr-status-bar .mr-actions { margin: 0; }
.mr-status-bar .mr-button { min-height: 2.25rem; padding: .3rem .75rem; }
/* The top-up form and notices open below the row, whatever their place in the markup. */
.mr-status-bar .mr-topup, .mr-status-bar .mr-wide { flex: 1 1 100%; order: 1; }
.mr-status-bar .mr-topup > .mr-error { margin: .25rem 0 0; }
@media (prefers-reduced-motion: reduce) {
  .mr-panel *, .mr-panel *::before, .mr-panel *::after { transition: none !important; animation: none !important; }
}
`;
