import {
  decodePaymentResponseHeaders,
  decodePriceRouteHeader,
  encodePaymentResponseHeaders,
  encodePriceRouteHeader,
  matchesPriceRoute,
  type PaymentRequirements,
} from "@micro-raiden/web-client/protocol";
import { workerDatabase } from "./workerDatabase.ts";

/** A price the receiver announced for every page of a route of its origin (RDN-Price-Route). */
export type PriceRoute = { route: string; requirements: PaymentRequirements };

export type PriceRoutes = ReturnType<typeof priceRoutes>;

/**
 * The prices the receiver announced for routes of the worker's origin, learned from its 402s and paid answers, so
 * the worker can pay the next page of a route with its first request. Kept in the worker's database (an idle worker
 * is stopped within seconds) as the answer's headers, decoded again on read like any answer.
 */
export function priceRoutes(factory: IDBFactory = indexedDB) {
  const database = workerDatabase(factory);
  // Read once for the worker's life: a site has a handful of routes, and only this worker writes them.
  let known: Promise<Map<string, PriceRoute>> | undefined;
  const all = () => {
    known ??= database
      .transact("priceRoutes", "readonly", (store) => store.getAll())
      .then((entries) => {
        const routes = entries.map(fromStored).filter((entry) => entry !== undefined);
        return new Map(routes.map((entry) => [entry.route, entry]));
      })
      .catch((error: unknown) => {
        known = undefined;
        throw error;
      });
    return known;
  };

  return {
    /**
     * Remembers the route an answer of this origin announces a price for, if any (a later announcement for the same
     * route replaces it). Answers announcing none, or malformed ones, change nothing.
     */
    async learn(response: Response): Promise<void> {
      const learned = fromHeaders(response.headers);
      if (!learned) return;
      const routes = await all();
      const previous = routes.get(learned.route);
      if (previous && samePrice(previous.requirements, learned.requirements)) return;
      routes.set(learned.route, learned);
      await database.transact("priceRoutes", "readwrite", (store) => store.put(toStored(learned), learned.route));
    },
    /** Drops what the receiver said about `route` (its answer showed the announcement no longer holds). */
    async forget(route: string): Promise<void> {
      (await all()).delete(route);
      await database.transact("priceRoutes", "readwrite", (store) => store.delete(route));
    },
    /** The announced price for `url`'s path: the longest (most specific) matching route's. */
    async find(url: string): Promise<PriceRoute | undefined> {
      const { pathname } = new URL(url);
      let found: PriceRoute | undefined;
      for (const entry of (await all()).values()) {
        if (matchesPriceRoute(entry.route, pathname) && entry.route.length > (found?.route.length ?? -1)) found = entry;
      }
      return found;
    },
    async clear(): Promise<void> {
      known = Promise.resolve(new Map());
      await database.transact("priceRoutes", "readwrite", (store) => store.clear());
    },
  };
}

/** The route an answer announces its price for, with its requirements; undefined when none (or malformed). */
function fromHeaders(headers: Headers): PriceRoute | undefined {
  try {
    const route = decodePriceRouteHeader(headers);
    return route === undefined
      ? undefined
      : { route, requirements: decodePaymentResponseHeaders(headers).requirements };
  } catch {
    return undefined;
  }
}

/** A learned route as stored: the headers that announced it, read back like an answer's. */
function fromStored(value: unknown): PriceRoute | undefined {
  const headers: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "headers") : undefined;
  if (typeof headers !== "object" || headers === null) return undefined;
  const texts = Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return fromHeaders(new Headers(texts));
}

function toStored(learned: PriceRoute) {
  return { headers: { ...encodePaymentResponseHeaders(learned), ...encodePriceRouteHeader(learned.route) } };
}

function samePrice(a: PaymentRequirements, b: PaymentRequirements): boolean {
  const encode = (requirements: PaymentRequirements) => JSON.stringify(encodePaymentResponseHeaders({ requirements }));
  return encode(a) === encode(b);
}
