import { loadWidget, type Widget, whenIdle } from "./loadWidget.ts";
import type { Mounted } from "./mount.tsx";

export type LazyMount = Mounted & {
  /** Loads the widget now (the reader acted) and resolves once it is mounted; rejects when it cannot load. */
  now(): Promise<void>;
};

/**
 * Mounts the widget over a first drawing once its chunk is loaded: at idle, or at once (`start: "now"`), or when the
 * reader acts (`now()`), whichever comes first. Focus on a button of the drawing moves to the widget's button with
 * the same text, so a keyboard reader keeps their place. `unmount` before then cancels it.
 */
export function lazyMount(
  element: HTMLElement,
  start: "now" | "idle",
  mountWidget: (widget: typeof Widget) => Mounted,
): LazyMount {
  let mounted: Mounted | undefined;
  let cancelled = false;
  let mounting: Promise<void> | undefined;
  const now = () => {
    mounting ??= loadWidget().then(
      (widget) => {
        if (cancelled || mounted) return;
        const focused = element.shadowRoot?.activeElement;
        const focusedText = focused instanceof HTMLButtonElement ? focused.textContent : undefined;
        mounted = mountWidget(widget);
        if (focusedText === undefined) return;
        for (const button of element.shadowRoot?.querySelectorAll("button") ?? []) {
          if (button.textContent === focusedText) {
            button.focus();
            break;
          }
        }
      },
      (error: unknown) => {
        mounting = undefined;
        throw error;
      },
    );
    return mounting;
  };
  const reportFailure = (error: unknown) => console.error("µRaiden paywall: the widget could not be loaded", error);
  if (start === "now") now().catch(reportFailure);
  else whenIdle(() => now().catch(reportFailure));
  return {
    now,
    unmount() {
      cancelled = true;
      mounted?.unmount();
      element.shadowRoot?.replaceChildren();
    },
  };
}
