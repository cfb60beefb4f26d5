import { type RefObject, useEffect, useRef } from "react";

/**
 * Moves focus to the element when `key` changes (a new step of the flow), but not on the first render: a page
 * that loads with a paywall must not have its focus taken.
 */
export function useFocusOnChange<T extends HTMLElement>(key: string): RefObject<T | null> {
  const ref = useRef<T>(null);
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key is the trigger.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
  }, [key]);
  return ref;
}
