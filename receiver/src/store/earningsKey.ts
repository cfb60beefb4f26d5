/** One hour in ms: earnings are kept per hour and resource. */
export const earningsHourMs = 3_600_000;

/**
 * The resource a payment's `request` (`METHOD /path?query`) paid for: its path, without the query, so that query
 * values do not split one page's revenue into many. PostgreSQL's earnings trigger computes the same in SQL
 * (`split_part`); the store contract test holds both to it.
 */
export function resourceOf(request: string): string {
  return request.split(" ")[1]?.split("?")[0] ?? "";
}
