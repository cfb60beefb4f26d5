/** The Cache Storage cache holding the worker's paid pages (its own: nothing else on the origin reads or writes it). */
const cacheName = "micro-raiden-paid-pages";
/** Until when a kept copy may be served (epoch ms). Set by the worker on its copy, never sent to the page. */
const keptUntilHeader = "micro-raiden-kept-until";

/**
 * How long after a paid answer went out its copy is taken: the page has the processor, the network and the disk to
 * itself meanwhile, and the browser's HTTP cache has the whole answer by then.
 */
const keepDelayMs = 500;

/** The paid pages the worker keeps; see {@link keptPages}. */
export type KeptPages = ReturnType<typeof keptPages>;

/**
 * The paid answers of GET navigations the worker paid, kept in Cache Storage by URL for as long as the receiver let
 * the reader's browser keep them (`Cache-Control: private, max-age=N` on the paid answer; nothing without a
 * max-age, nothing marked `no-store`). A reload skips the browser's own HTTP cache, so the network answers 402 for a
 * page paid a moment ago; the worker then serves the kept copy instead of paying for the same page again.
 * Cleared when the reader revokes the worker or grants it something else.
 */
export function keptPages(storage: CacheStorage = caches) {
  // Keeps still being written, by URL: the worker hands the paid answer to the page without waiting for its copy,
  // so a reload right after must wait for it here rather than miss it and pay again.
  const writing = new Map<string, Promise<unknown>>();
  // The URLs the cache holds, read once per worker start (started at once, beside the worker's first navigation) and
  // kept up to date here: most navigations are not reloads of a kept page, and they cost no cache lookup. Only this
  // worker writes the cache. Undefined when it could not be read: then every lookup asks the cache.
  let held: Promise<Set<string> | undefined> = readUrls();
  function readUrls(): Promise<Set<string> | undefined> {
    return storage
      .open(cacheName)
      .then((cache) => cache.keys())
      .then(
        (requests) => new Set(requests.map((request) => request.url)),
        () => undefined,
      );
  }
  return {
    /**
     * Keeps the paid answer to `request` (a GET navigation's, when the receiver allows it), taken a moment later from
     * the browser's HTTP cache, where the paid answer went: the answer itself goes to the page untouched (a copy
     * made from it would make the worker relay the page's body itself).
     */
    async keep(request: Request): Promise<void> {
      if (request.method !== "GET" || request.mode !== "navigate") return;
      const written = new Promise((resolve) => setTimeout(resolve, keepDelayMs))
        .then(() => fetch(request.url, { cache: "only-if-cached", mode: "same-origin", credentials: "same-origin" }))
        .then(async (answer) => {
          const maxAge = answer.status === 200 ? privateMaxAge(answer.headers.get("cache-control")) : undefined;
          if (!maxAge) return await answer.body?.cancel();
          // Kept for what is left of the max-age since the receiver answered (its Date), never longer.
          const answeredAt = Math.min(Date.parse(answer.headers.get("date") ?? "") || Date.now(), Date.now());
          const headers = new Headers(answer.headers);
          headers.set(keptUntilHeader, String(answeredAt + maxAge * 1000));
          const copy = new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
          await (await storage.open(cacheName)).put(request.url, copy);
          (await held)?.add(request.url);
        });
      writing.set(request.url, written);
      try {
        await written;
      } finally {
        if (writing.get(request.url) === written) writing.delete(request.url);
      }
    },
    /** The kept paid answer for a GET navigation to `request`'s URL, while its max-age lasts. */
    async find(request: Request): Promise<Response | undefined> {
      if (request.method !== "GET" || request.mode !== "navigate") return undefined;
      await writing.get(request.url)?.catch(() => {});
      const urls = await held;
      if (urls && !urls.has(request.url)) return undefined;
      const cache = await storage.open(cacheName);
      const kept = await cache.match(request.url);
      if (!kept) return undefined;
      const until = Number(kept.headers.get(keptUntilHeader));
      if (!(until > Date.now())) {
        urls?.delete(request.url);
        await cache.delete(request.url);
        return undefined;
      }
      const headers = new Headers(kept.headers);
      headers.delete(keptUntilHeader);
      return new Response(kept.body, { status: kept.status, statusText: kept.statusText, headers });
    },
    async clear(): Promise<void> {
      // A copy still being written was paid under what is being cleared away: it must not land after the clear.
      await Promise.allSettled(writing.values());
      await storage.delete(cacheName);
      held = Promise.resolve(new Set());
    },
  };
}

/**
 * The max-age in seconds of a paid answer's `Cache-Control` (the receiver sends `private, max-age=N`), or undefined
 * when there is none, it is zero, or the answer must not be stored (`no-store`) or reused unchecked (`no-cache`).
 */
export function privateMaxAge(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  let maxAge: number | undefined;
  for (const directive of cacheControl.split(",")) {
    const [name = "", value] = directive.trim().toLowerCase().split("=", 2);
    if (name === "no-store" || name === "no-cache") return undefined;
    if (name === "max-age" && value !== undefined && /^\d+$/.test(value)) maxAge = Number(value);
  }
  return maxAge !== undefined && maxAge > 0 ? maxAge : undefined;
}
