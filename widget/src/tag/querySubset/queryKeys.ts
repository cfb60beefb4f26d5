// Query keys as TanStack Query compares them: a hash that ignores the order of an object's keys, and the partial
// match the filters of `invalidateQueries` and `useIsMutating` use (a key matches every key that starts like it).

export type QueryKey = readonly unknown[];

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
};

/** TanStack's `hashKey`, with wagmi's bigints written as decimal strings (JSON cannot hold them). */
export const hashKey = (queryKey: QueryKey): string =>
  JSON.stringify(queryKey, (_, value: unknown) =>
    typeof value === "bigint"
      ? value.toString()
      : isPlainObject(value)
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, value[key]]),
          )
        : value,
  );

/** Whether `key` starts like `filter`: arrays by prefix, objects by the filter's own fields. */
export function partialMatchKey(key: unknown, filter: unknown): boolean {
  if (key === filter) return true;
  if (typeof key !== typeof filter || !key || !filter || typeof key !== "object" || typeof filter !== "object")
    return false;
  if (Array.isArray(key) !== Array.isArray(filter)) return false;
  return Object.keys(filter).every((field) => partialMatchKey(Reflect.get(key, field), Reflect.get(filter, field)));
}

/**
 * TanStack's structural sharing: `next`, but with every part equal to `previous` kept as `previous`'s object, so a
 * poll that reads the same channel again hands React the same objects (no effect reruns, no re-render below).
 */
export function replaceEqualDeep<T>(previous: unknown, next: T): T {
  if (previous === next) return next;
  const arrays = Array.isArray(previous) && Array.isArray(next);
  if (!arrays && !(isPlainObject(previous) && isPlainObject(next))) return next;
  const before = previous as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  const keys = Object.keys(after);
  let equal = Object.keys(before).length === keys.length;
  const entries = keys.map((key) => {
    const value = replaceEqualDeep(before[key], after[key]);
    if (value !== before[key] || !Object.hasOwn(before, key)) equal = false;
    return [key, value] as const;
  });
  if (equal) return previous as T;
  return (arrays ? entries.map(([, value]) => value) : Object.fromEntries(entries)) as T;
}
