// The script tag's `use-sync-external-store/shim/with-selector` (vite.config.ts aliases it in the Preact build;
// wagmi's hooks import it). The package is CommonJS: its `require("react")` made the bundler keep all of
// preact/compat and wrap it in a lazy initializer. This is the same algorithm as an ES module, on the
// `useSyncExternalStore` every React since 18 (and preact/compat) has, which is all the shim falls back to there.
// Ported from use-sync-external-store 1.4 (MIT, Meta Platforms, Inc. and affiliates).
import { useDebugValue, useEffect, useMemo, useRef, useSyncExternalStore } from "react";

type Instance<Selection> = { hasValue: true; value: Selection } | { hasValue: false; value: null };

/** `useSyncExternalStore` that re-renders only when `selector`'s result changes (by `isEqual`, else `Object.is`). */
export function useSyncExternalStoreWithSelector<Snapshot, Selection>(
  subscribe: (onStoreChange: () => void) => () => void,
  getSnapshot: () => Snapshot,
  getServerSnapshot: undefined | null | (() => Snapshot),
  selector: (snapshot: Snapshot) => Selection,
  isEqual?: (a: Selection, b: Selection) => boolean,
): Selection {
  // The last selection React rendered, so a new snapshot that selects an equal value keeps the rendered one.
  const instanceRef = useRef<Instance<Selection>>({ hasValue: false, value: null });

  const [getSelection, getServerSelection] = useMemo(() => {
    let memoized: { snapshot: Snapshot; selection: Selection } | undefined;
    const memoizedSelector = (nextSnapshot: Snapshot): Selection => {
      if (!memoized) {
        const nextSelection = selector(nextSnapshot);
        const instance = instanceRef.current;
        const selection =
          isEqual !== undefined && instance.hasValue && isEqual(instance.value, nextSelection)
            ? instance.value
            : nextSelection;
        memoized = { snapshot: nextSnapshot, selection };
        return selection;
      }
      const previous = memoized.selection;
      if (Object.is(memoized.snapshot, nextSnapshot)) return previous;
      const nextSelection = selector(nextSnapshot);
      if (isEqual?.(previous, nextSelection)) {
        memoized = { snapshot: nextSnapshot, selection: previous };
        return previous;
      }
      memoized = { snapshot: nextSnapshot, selection: nextSelection };
      return nextSelection;
    };
    return [
      () => memoizedSelector(getSnapshot()),
      getServerSnapshot ? () => memoizedSelector(getServerSnapshot()) : undefined,
    ] as const;
  }, [getSnapshot, getServerSnapshot, selector, isEqual]);

  const value = useSyncExternalStore(subscribe, getSelection, getServerSelection);
  useEffect(() => {
    instanceRef.current = { hasValue: true, value };
  }, [value]);
  useDebugValue(value);
  return value;
}
