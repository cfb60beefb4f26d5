import type { ChannelClient } from "../client/createChannelClient.ts";
import { type FetchWithPaymentParameters, fetchWithPayment } from "./fetchWithPayment.ts";

export type CreatePaidFetchParameters = Omit<FetchWithPaymentParameters, "input" | "init">;
export type CreatePaidFetchReturnType = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * A drop-in `fetch` that pays on 402 with this client and these options (see `fetchWithPayment`), for code that
 * takes a fetch function.
 *
 * @example
 * import { createPaidFetch } from "@micro-raiden/web-client";
 * const paidFetch = createPaidFetch(client, { deposit: (requirements) => requirements.price * 100n });
 * const article = await (await paidFetch("/articles/1")).text();
 */
export function createPaidFetch(
  client: ChannelClient,
  parameters: CreatePaidFetchParameters = {},
): CreatePaidFetchReturnType {
  return (input, init) => fetchWithPayment(client, { ...parameters, input, init });
}
